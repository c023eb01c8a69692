import type { CsvRow } from './csv-rows';
import type { RecordColumn, RecordKind } from './record-kinds';
import type { RowProblem } from './row-problems';

/** One record as sent, before its schema: a JSON object, or a CSV row with its cells converted. */
export interface InputRow {
  readonly line: number | null;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Fields whose problem is already reported (a CSV cell that did not convert): not checked again. */
  readonly reported?: ReadonlySet<string>;
}

export interface ValidRecord<T> {
  readonly line: number | null;
  readonly record: T;
}

const TRUE_CELLS = new Set(['true', 'yes', '1']);
const FALSE_CELLS = new Set(['false', 'no', '0']);
const NUMBER_CELL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function cellValue(column: RecordColumn, cell: string): { value: unknown } | { problem: string } {
  if (column.type === 'boolean') {
    const lower = cell.toLowerCase();
    if (TRUE_CELLS.has(lower)) return { value: true };
    if (FALSE_CELLS.has(lower)) return { value: false };
    return { problem: `"${cell}" is not a boolean (true/false, yes/no, 1/0)` };
  }
  if (column.type === 'number') return NUMBER_CELL.test(cell) ? { value: Number(cell) } : { problem: `"${cell}" is not a number` };
  return { value: cell };
}

/** CSV rows as records: each cell converted to its column's type (a cell that does not convert is `malformed_field`). */
export function inputsFromCsv(columns: readonly RecordColumn[], rows: readonly CsvRow[]): { inputs: InputRow[]; problems: RowProblem[] } {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const inputs: InputRow[] = [];
  const problems: RowProblem[] = [];
  for (const row of rows) {
    const fields: Record<string, unknown> = {};
    const reported = new Set<string>();
    for (const [name, cell] of Object.entries(row.cells)) {
      const converted = cellValue(byName.get(name)!, cell);
      if ('problem' in converted) {
        problems.push({ line: row.line, field: name, code: 'malformed_field', message: converted.problem });
        reported.add(name);
      } else fields[name] = converted.value;
    }
    // A row with a cell that did not convert is still checked, so that its other problems are listed too.
    inputs.push({ line: row.line, fields, reported });
  }
  return { inputs, problems };
}

/**
 * Checks every record of an upload and lists every problem with its line and field: the schema
 * (missing, malformed, unknown fields), negative costs, times later than `now`, and the same record
 * twice in the upload (reported on the later line). The customers' existence is checked by the caller,
 * against the database, in the transaction that records them.
 */
export function validateRecords<T>(kind: RecordKind<T>, inputs: readonly InputRow[], now: Date): { records: ValidRecord<T>[]; problems: RowProblem[] } {
  const known = new Set(kind.columns.map((c) => c.name));
  const records: ValidRecord<T>[] = [];
  const problems: RowProblem[] = [];
  const firstLineOf = new Map<string, number | null>();
  for (const { line, fields, reported: converted = new Set<string>() } of inputs) {
    const own: RowProblem[] = [];
    const reported = new Set(converted);
    for (const [name, value] of Object.entries(fields)) {
      if (!known.has(name)) own.push({ line, field: name, code: 'unknown_field', message: `unknown field "${name}" (fields: ${[...known].join(', ')})` });
      // Postgres text cannot hold NUL: refused here, with its field, rather than failing the statement.
      else if (typeof value === 'string' && value.includes('\u0000')) {
        own.push({ line, field: name, code: 'malformed_field', message: `${name} contains a NUL character` });
        reported.add(name);
      }
    }
    const candidate = Object.fromEntries(Object.entries(fields).filter(([k]) => known.has(k) && !reported.has(k)));
    const parsed = kind.schema.safeParse(candidate);
    if (!parsed.success) {
      const flagged = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '(record)');
        if (reported.has(field) || flagged.has(field)) continue;
        flagged.add(field);
        const value = candidate[field];
        if (value === undefined) own.push({ line, field, code: 'missing_field', message: `${field} is required` });
        else if (kind.costFields.includes(field) && typeof value === 'number' && value < 0)
          own.push({ line, field, code: 'negative_cost', message: `${field} ${value} is negative` });
        else own.push({ line, field, code: 'malformed_field', message: `${field} ${issue.message}` });
      }
    }
    if (parsed.success) {
      const record = parsed.data;
      if (Date.parse(kind.timeOf(record)) > now.getTime()) {
        own.push({
          line,
          field: kind.timeField,
          code: 'future_date',
          message: `${kind.timeField} ${kind.timeOf(record)} is later than now (${now.toISOString()})`,
        });
      }
      const key = kind.duplicateKey(record);
      if (firstLineOf.has(key)) {
        const first = firstLineOf.get(key);
        own.push({ line, field: '(row)', code: 'duplicate_row', message: `the same record as ${first === null ? 'an earlier one' : `line ${first}`}` });
      } else firstLineOf.set(key, line);
      if (own.length === 0 && reported.size === 0) records.push({ line, record });
    }
    problems.push(...own);
  }
  return { records, problems };
}
