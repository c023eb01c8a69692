import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** The documents a newcomer reads; a moved or renamed file must take its mentions along. */
function documents(): string[] {
  const docs = fs
    .readdirSync(path.join(REPO, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', 'ARCHITECTURE.md', 'bench/README.md', 'apps/trainer/README.md', ...docs];
}

/** GitHub's anchor of a heading: lower case, punctuation dropped but `-` and `_`, each space a `-`. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading!)));
}

/** A path a reader is told to create from a checked-in example (`integrations.env` from `integrations.env.example`). */
function existsOrHasExample(file: string): boolean {
  return fs.existsSync(file) || fs.existsSync(`${file}.example`);
}

describe('the documents point at what exists', () => {
  it('every relative link resolves to a file or folder, and its #section to a heading there', () => {
    const dead: string[] = [];
    for (const doc of documents()) {
      const text = fs.readFileSync(path.join(REPO, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:)/.test(target!)) continue;
        const [file, anchor] = target!.split('#');
        const resolved = file ? path.join(REPO, path.dirname(doc), file) : path.join(REPO, doc);
        if (!fs.existsSync(resolved)) dead.push(`${doc}: ${target}`);
        else if (anchor && resolved.endsWith('.md') && !anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor))
          dead.push(`${doc}: ${target} (no such section)`);
      }
    }
    assert.deepEqual(dead, []);
  });

  it('every repository path quoted in code style exists', () => {
    const missing: string[] = [];
    for (const doc of documents()) {
      const text = fs.readFileSync(path.join(REPO, doc), 'utf8');
      for (const [, quoted] of text.matchAll(/`((?:apps|libs|docs|bench|deploy|k8s|scripts|specs|data|models|bin)\/[\w./-]+)`/g)) {
        if (!existsOrHasExample(path.join(REPO, quoted!))) missing.push(`${doc}: ${quoted}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
