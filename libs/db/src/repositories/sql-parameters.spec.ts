import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

/**
 * Values reach Postgres only as bound parameters ($1…). A repository may still build statement text
 * from its own constants (column lists, an ORDER BY of fixed levels); this scan fails as soon as
 * anything else is interpolated into a template literal: a new `${x}` must be derived from an
 * UPPER_CASE module constant, or the statement must take `x` as a parameter.
 */
const LIBS = path.resolve(__dirname, '..', '..', '..');
/** The shared repositories here and every service's data-access library (libs/<service>-data). */
const SOURCES = [
  path.join(LIBS, 'db', 'src', 'repositories'),
  ...fs
    .readdirSync(LIBS)
    .filter((name) => name.endsWith('-data'))
    .map((name) => path.join(LIBS, name, 'src')),
];

/** Names that hold SQL text derived from UPPER_CASE constants (checked below, not trusted blindly). */
function derivedFromConstants(file: string, name: string): boolean {
  const declaration = new RegExp(`const ${name} = ([A-Z][A-Z0-9_]*)[.\\s]`).exec(file);
  return declaration !== null;
}

/** Callback parameters of a `.map`/`.filter` over an UPPER_CASE constant: they range over that constant. */
function callbackOverConstant(chain: string, name: string): boolean {
  const overConstant = /[A-Z][A-Z0-9_]*\.(map|filter)\(/.test(chain);
  const isParameter = new RegExp(`\\(\\[[^\\]]*\\b${name}\\b[^\\]]*\\](\\s*,\\s*\\w+)?\\)\\s*=>|\\(\\[[^\\]]*\\](\\s*,\\s*${name})\\)\\s*=>`).test(chain);
  return overConstant && isParameter;
}

describe('repositories: SQL only through parameters', () => {
  const files = SOURCES.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.repository.ts'))
      .map((f) => path.join(dir, f)),
  );

  it('finds the repositories', () => assert.ok(files.length >= 10, `${files.length} repositories under ${SOURCES.join(', ')}`));

  for (const file of files) {
    const name = path.relative(LIBS, file);
    it(`${name} interpolates nothing but constants into statement text`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const offenders: string[] = [];
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        for (const [, expression] of line.matchAll(/\$\{([^}]*)\}/g)) {
          const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression!.trim())?.[0] ?? expression!;
          const ok = /^[A-Z][A-Z0-9_]*$/.test(root) || derivedFromConstants(text, root) || callbackOverConstant(`${lines[index - 1] ?? ''} ${line}`, root);
          if (!ok) offenders.push(`${name}:${index + 1}: \${${expression}}`);
        }
      });
      assert.deepEqual(offenders, []);
    });
  }

  it('the scan does catch a value concatenated into SQL', () => {
    const line = "db.query('x', `SELECT * FROM alerts WHERE customer_id = '${customerId}'`)";
    const root = 'customerId';
    assert.equal(/^[A-Z][A-Z0-9_]*$/.test(root) || derivedFromConstants(line, root) || callbackOverConstant(line, root), false);
  });
});
