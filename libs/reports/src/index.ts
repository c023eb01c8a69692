export type * from './report';
export { cellValue, formatCell, type Cell, type CellKind, type Column, type ReportSection } from './report-cells';
export { reportCsv } from './report-csv';
export { reportPdf } from './report-pdf';
export { driversText, reportSections } from './report-sections';
