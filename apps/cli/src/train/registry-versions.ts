import fs from 'node:fs';
import path from 'node:path';

/** The name a training table is kept under inside the version it trained. */
export const KEPT_TRAINING_SET = 'training-set.csv';

/** The model versions of a registry directory: its subdirectories holding a model card. */
export function versionsIn(registryDir: string): Set<string> {
  if (!fs.existsSync(registryDir)) return new Set();
  return new Set(
    fs
      .readdirSync(registryDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(registryDir, entry.name, 'model-card.json')))
      .map((entry) => entry.name),
  );
}

/** The newest version the registry holds that `before` did not (names sort by creation time), if any. */
export function newVersionSince(registryDir: string, before: ReadonlySet<string>): string | undefined {
  return [...versionsIn(registryDir)]
    .filter((v) => !before.has(v))
    .sort()
    .pop();
}

/**
 * Copies a training table built from the event log into the version trained on it: the only copy of
 * what that model learned from that lives as long as the model (the card's sha256 matches it).
 */
export function keepBesideModel(trainingSetFile: string, registryDir: string, version: string): string {
  const kept = path.join(registryDir, version, KEPT_TRAINING_SET);
  fs.copyFileSync(trainingSetFile, kept);
  return kept;
}
