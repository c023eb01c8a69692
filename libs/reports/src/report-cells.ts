/** How a figure reads: the PDF formats by it; the CSV writes the raw number so a spreadsheet can compute with it. */
export type CellKind = 'text' | 'count' | 'change' | 'money' | 'share' | 'points' | 'decimal' | 'hours' | 'probability' | 'timestamp';

/** A figure with its own kind, for key/value tables whose rows differ in kind. */
export interface TypedCell {
  readonly value: string | number | null;
  readonly kind: CellKind;
}

export type Cell = string | number | null | TypedCell;

export interface Column {
  readonly title: string;
  readonly kind: CellKind;
}

/** One table of the report: the CSV writes it as a block, the PDF as a table under its title. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** What the figures mean, one sentence; printed under the title. */
  readonly note?: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
}

export function typed(value: string | number | null, kind: CellKind): TypedCell {
  return { value, kind };
}

export function cellValue(cell: Cell): string | number | null {
  return cell !== null && typeof cell === 'object' ? cell.value : cell;
}

export function cellKind(cell: Cell, column: Column): CellKind {
  return cell !== null && typeof cell === 'object' ? cell.kind : column.kind;
}

const grouped = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A figure as the PDF prints it: money to the unit, shares as percentages, times as UTC minutes; null as a dash. */
export function formatCell(cell: Cell, column: Column): string {
  const value = cellValue(cell);
  if (value === null) return '-';
  if (typeof value === 'string') return value;
  switch (cellKind(cell, column)) {
    case 'money':
      return `${value < 0 ? '-' : ''}$${grouped(Math.abs(value), 0)}`;
    case 'share':
      return `${grouped(100 * value, 1)}%`;
    case 'points':
      return `${value > 0 ? '+' : ''}${grouped(100 * value, 1)} pts`;
    case 'count':
      return grouped(value, 0);
    case 'change':
      return `${value > 0 ? '+' : ''}${grouped(value, 0)}`;
    case 'hours':
      return `${grouped(value, 1)} h`;
    case 'probability':
      return value.toFixed(3);
    case 'decimal':
      return value.toFixed(4);
    case 'timestamp':
    case 'text':
      return String(value);
  }
}
