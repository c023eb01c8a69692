import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT } from '@churn/local-stack';

/** The bundled IBM Telco sample (data/telco/README.md says where it comes from). */
export const TELCO_CSV = path.join(REPO_ROOT, 'data', 'telco', 'train.csv');

/** The customerID column of a Telco-shaped CSV, in file order. */
export async function readCustomerIds(file: string): Promise<string[]> {
  const rows = parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((row, index) => {
    const id = row['customerID'];
    if (!id) throw new Error(`${file}: row ${index + 2} has no customerID`);
    return id;
  });
}
