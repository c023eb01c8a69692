import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * Each service owns its tables, proven on the sources: the tables every data-access library's SQL
 * names are read from its files and checked against ARCHITECTURE.md's "Tables" section, which says
 * for each table its owner and the library that holds its repository. The doc is the ownership
 * table the code is held to, so it cannot drift from the code.
 */

interface TableRow {
  readonly table: string;
  readonly owner: string;
  readonly library: string;
}

interface DataAccessLibrary {
  readonly name: string;
  readonly scope: string;
  readonly dir: string;
}

/**
 * Reads of another service's table that remain, each with why. The check fails on any read not
 * listed here and on any entry that no longer happens, so the list only shrinks.
 */
const KNOWN_VIOLATIONS: ReadonlyArray<readonly [library: string, table: string, reason: string]> = [];

/** The rows of ARCHITECTURE.md's Tables section: `| \`t1\`, \`t2\` | owner | \`@churn/lib\` | holds |`. */
function documentedTables(): TableRow[] {
  const doc = fs.readFileSync(path.join(REPO, 'ARCHITECTURE.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Tables\n'));
  const body = section.slice(0, section.indexOf('\n## ', 1));
  const rows: TableRow[] = [];
  for (const line of body.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [tables = '', owner = '', library = ''] = line
      .slice(1)
      .split(' | ')
      .map((cell) => cell.trim());
    for (const [, table] of tables.matchAll(/`([a-z_]+)`/g)) rows.push({ table: table!, owner, library: library.replace(/`/g, '') });
  }
  return rows;
}

/** Every table the migrations create (their Up parts; comments removed). */
function migratedTables(): Set<string> {
  const dir = path.join(REPO, 'libs', 'db', 'migrations');
  const tables = new Set<string>();
  for (const file of fs.readdirSync(dir)) {
    const sql = fs.readFileSync(path.join(dir, file), 'utf8').replace(/--[^\n]*/g, '');
    for (const [, table] of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)) tables.add(table!);
  }
  return tables;
}

/** The libraries tagged type:data-access, with their package name and scope tag. */
function dataAccessLibraries(): DataAccessLibrary[] {
  const libs = path.join(REPO, 'libs');
  return fs
    .readdirSync(libs)
    .map((entry) => path.join(libs, entry))
    .filter((dir) => fs.existsSync(path.join(dir, 'project.json')))
    .flatMap((dir) => {
      const tags: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'project.json'), 'utf8')).tags ?? [];
      if (!tags.includes('type:data-access')) return [];
      const name: string = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name;
      const scope = tags.find((tag) => tag.startsWith('scope:'))?.slice('scope:'.length) ?? '';
      return [{ name, scope, dir }];
    });
}

/** The running code of a library: its sources but specs, fixtures and builders. */
function sourceFiles(dir: string): string[] {
  const src = path.join(dir, 'src');
  return fs
    .readdirSync(src, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !/\.(spec|fixture|builders)\.ts$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => path.join(src, file));
}

/** The known tables a source's SQL names after FROM, JOIN, INTO, UPDATE or TABLE (comments removed). */
export function tablesNamedIn(source: string, known: ReadonlySet<string>): Set<string> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const named = new Set<string>();
  for (const [, name] of code.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_][a-z0-9_]*)\b/g)) {
    if (known.has(name!)) named.add(name!);
  }
  return named;
}

describe('each service owns its tables', () => {
  const rows = documentedTables();
  const libraries = dataAccessLibraries();
  const migrated = migratedTables();

  it('reads the SQL of a source', () => {
    const source =
      '/** FROM alerts in a comment */\n// JOIN outcomes\nconst sql = `SELECT 1 FROM predictions p JOIN model_versions m ON true; INSERT INTO unknown_cte VALUES (1)`;';
    assert.deepEqual([...tablesNamedIn(source, new Set(['alerts', 'outcomes', 'predictions', 'model_versions']))].sort(), ['model_versions', 'predictions']);
  });

  it('every table the migrations create has one row in ARCHITECTURE.md, and every row a migrated table', () => {
    const documented = rows.map((row) => row.table);
    assert.deepEqual(
      [...migrated].filter((table) => !documented.includes(table)),
      [],
      'tables without an owner in ARCHITECTURE.md',
    );
    assert.deepEqual(
      documented.filter((table) => !migrated.has(table)),
      [],
      'documented tables no migration creates',
    );
    assert.deepEqual(
      documented.filter((table, i) => documented.indexOf(table) !== i),
      [],
      'tables documented twice',
    );
  });

  it("each table's repository is in a data-access library of its owner's scope", () => {
    const byName = new Map(libraries.map((library) => [library.name, library]));
    for (const row of rows) {
      const library = byName.get(row.library);
      assert.ok(library, `${row.table}: ${row.library} is not a data-access library`);
      if (library.scope !== 'shared')
        assert.equal(row.owner, library.scope, `${row.table} is owned by ${row.owner} but held by ${row.library} (scope:${library.scope})`);
    }
  });

  it("a data-access library's SQL touches only the tables whose repository it holds", () => {
    const holder = new Map(rows.map((row) => [row.table, row.library]));
    const violations: string[] = [];
    for (const library of libraries) {
      const named = new Set(sourceFiles(library.dir).flatMap((file) => [...tablesNamedIn(fs.readFileSync(file, 'utf8'), migrated)]));
      for (const table of [...named].sort()) {
        if (holder.get(table) !== library.name) violations.push(`${library.name} → ${table} (held by ${holder.get(table)})`);
      }
    }
    const known = KNOWN_VIOLATIONS.map(([library, table]) => `${library} → ${table} (held by ${holder.get(table)})`);
    assert.deepEqual(violations.sort(), known.sort());
  });
});
