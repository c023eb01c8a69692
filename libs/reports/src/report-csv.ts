import { stringify } from 'csv-stringify/sync';
import type { Report } from './report';
import { cellValue } from './report-cells';
import { reportSections } from './report-sections';

/**
 * Excel reads a CSV as UTF-8 only when it starts with a byte-order mark (otherwise in the system's
 * ANSI code page, which garbles customer ids and action names outside ASCII); other spreadsheets and
 * csv-parse (`bom: true`) skip it.
 */
const UTF8_BOM = '\uFEFF';

/**
 * The report as ONE CSV file a spreadsheet opens directly (a zip of several files would have to be
 * unpacked first, and Excel does not open one): every table of the report as a block — a row with
 * its title (and what it means), a header row, its rows — and a blank row between blocks. Figures
 * are raw numbers (shares as fractions, money unrounded) so the sheet can compute with them.
 */
export function reportCsv(report: Report): string {
  const rows: (string | number | null)[][] = [];
  for (const section of reportSections(report)) {
    if (rows.length > 0) rows.push([]);
    rows.push(section.note ? [section.title, section.note] : [section.title]);
    rows.push(section.columns.map((c) => c.title));
    for (const row of section.rows) rows.push(row.map(cellValue));
    if (section.rows.length === 0) rows.push(['(none)']);
  }
  return UTF8_BOM + stringify(rows, { record_delimiter: 'windows', cast: { number: (n) => String(n) } });
}
