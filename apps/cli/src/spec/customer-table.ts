import { CsvError, parse } from 'csv-parse/sync';

/** A customer table that cannot be read as one: the message names the file and the line or column. */
export class CustomerTableError extends Error {
  readonly code = 'CUSTOMER_TABLE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CustomerTableError';
  }
}

/** A CSV with a header: its columns, and each row's values with the file line the row is on. */
export interface CustomerTable {
  readonly source: string;
  readonly columns: readonly string[];
  readonly rows: readonly { readonly line: number; readonly values: readonly string[] }[];
}

/** Reads a CSV table: a header of distinct, non-blank names, then rows of exactly as many fields. */
export function readCustomerTable(content: string | Buffer, source: string): CustomerTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw new CustomerTableError(`${source}: not a readable CSV: ${error.message}`);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new CustomerTableError(`${source}: the file is empty (a header row of column names, then one row per customer)`);
  const columns = header.record.map((name) => name.trim());
  columns.forEach((name, i) => {
    if (name === '') throw new CustomerTableError(`${source}: line ${header.info.lines}: column ${i + 1} of the header has no name`);
    const first = columns.indexOf(name);
    if (first !== i)
      throw new CustomerTableError(`${source}: line ${header.info.lines}: column "${name}" appears twice in the header (columns ${first + 1} and ${i + 1})`);
  });
  if (body.length === 0) throw new CustomerTableError(`${source}: the header is the only row: no customers`);
  const rows = body.map(({ record, info }) => {
    if (record.length !== columns.length) {
      throw new CustomerTableError(
        `${source}: line ${info.lines} has ${record.length} field${record.length === 1 ? '' : 's'}, the header has ${columns.length}`,
      );
    }
    return { line: info.lines, values: record.map((value) => value.trim()) };
  });
  return { source, columns, rows };
}

/** The index of a column the user named, or an error listing the columns that exist. */
export function columnIndex(table: CustomerTable, column: string, option: string): number {
  const index = table.columns.indexOf(column);
  if (index < 0) throw new CustomerTableError(`${option} "${column}" is not a column of ${table.source}; its columns are: ${table.columns.join(', ')}`);
  return index;
}
