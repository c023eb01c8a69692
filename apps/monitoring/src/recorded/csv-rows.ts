import { CsvError, parse } from 'csv-parse/sync';
import type { RecordColumn } from './record-kinds';
import { UnreadableRecordsError, type RowProblem } from './row-problems';

export interface CsvRow {
  /** The file's line the row is on (the header is line 1). */
  readonly line: number;
  /** The non-empty cells by column name; an empty cell is an absent field. */
  readonly cells: Readonly<Record<string, string>>;
}

/**
 * A CSV upload as rows of named cells. A header that lacks a required column or names an unknown one
 * is a problem of line 1 (and no row is read); a row with another number of cells than the header is
 * a `malformed_row` of its line. Quoting the parser cannot read is an unreadable body.
 */
export function readCsvRows(body: string, columns: readonly RecordColumn[]): { rows: CsvRow[]; problems: RowProblem[] } {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(body, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    if (error instanceof CsvError) throw new UnreadableRecordsError('malformed_csv', `the CSV cannot be read: ${error.message}`);
    throw error;
  }
  const [header, ...body_] = parsed;
  if (!header || body_.length === 0) throw new UnreadableRecordsError('empty', 'no rows: the CSV needs a header row and at least one record');
  const names = header.record;
  const known = new Set(columns.map((c) => c.name));
  const problems: RowProblem[] = [];
  for (const name of names) {
    if (!known.has(name))
      problems.push({
        line: header.info.lines,
        field: name,
        code: 'unknown_field',
        message: `unknown column "${name}" (columns: ${columns.map((c) => c.name).join(', ')})`,
      });
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.push({ line: header.info.lines, field: name, code: 'malformed_row', message: `column "${name}" appears twice in the header` });
    seen.add(name);
  }
  for (const c of columns) {
    if (c.required && !names.includes(c.name))
      problems.push({ line: header.info.lines, field: c.name, code: 'missing_field', message: `required column "${c.name}" is missing from the header` });
  }
  if (problems.length > 0) return { rows: [], problems };
  const rows: CsvRow[] = [];
  for (const { record, info } of body_) {
    if (record.length !== names.length) {
      problems.push({ line: info.lines, field: '(row)', code: 'malformed_row', message: `${record.length} cells where the header has ${names.length}` });
      continue;
    }
    const cells: Record<string, string> = {};
    names.forEach((name, i) => {
      if (record[i] !== '') cells[name] = record[i]!;
    });
    rows.push({ line: info.lines, cells });
  }
  return { rows, problems };
}
