import fs from 'node:fs';
import path from 'node:path';

/** The repository's model registry (`models/`), written by the trainer; this file is compiled to libs/scoring/dist. */
export const DEFAULT_REGISTRY_DIR = path.resolve(__dirname, '..', '..', '..', 'models');

/** Reads the `models/` layout: one folder per version (with a model card), and the `active` pointer. */
export class ModelRegistryDir {
  constructor(readonly root: string = DEFAULT_REGISTRY_DIR) {}

  /** Version names with a model card, oldest first (names sort chronologically). */
  versions(): string[] {
    if (!fs.existsSync(this.root)) return [];
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(this.root, e.name, 'model-card.json')))
      .map((e) => e.name)
      .sort();
  }

  /** The version `models/active` names, or null when there is none. */
  active(): string | null {
    const file = path.join(this.root, 'active');
    if (!fs.existsSync(file)) return null;
    const name = fs.readFileSync(file, 'utf8').trim();
    return name === '' ? null : name;
  }

  dirOf(version: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(version) || version.startsWith('.')) throw new Error(`not a version name: ${JSON.stringify(version)}`);
    return path.join(this.root, version);
  }

  has(version: string): boolean {
    return /^[A-Za-z0-9._-]+$/.test(version) && !version.startsWith('.') && fs.existsSync(path.join(this.root, version, 'model-card.json'));
  }

  readCard(version: string): unknown {
    return JSON.parse(fs.readFileSync(path.join(this.dirOf(version), 'model-card.json'), 'utf8'));
  }
}
