import PDFDocument from 'pdfkit';
import type { Report } from './report';
import { formatCell, type ReportSection } from './report-cells';
import { reportSections } from './report-sections';
import { drawRiskChart } from './risk-chart';

const MARGIN = 36;
const TABLE_FONT_SIZE = 7.5;
/** Characters a column may claim when widths are shared out (a long drivers cell wraps instead). */
const MAX_COLUMN_CHARS = 60;
const MIN_COLUMN_CHARS = 5;

/** Column widths in proportion to their longest text (title included), within the page width. */
function columnWidths(section: ReportSection, texts: readonly string[][], width: number): number[] {
  const chars = section.columns.map((c, i) =>
    Math.min(MAX_COLUMN_CHARS, Math.max(MIN_COLUMN_CHARS, c.title.length, ...texts.map((row) => row[i]?.length ?? 0))),
  );
  const total = chars.reduce((a, b) => a + b, 0);
  return chars.map((n) => (n / total) * width);
}

function drawSection(doc: PDFKit.PDFDocument, section: ReportSection, width: number): void {
  if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
  doc.moveDown(0.8).fillColor('#111827').font('Helvetica-Bold').fontSize(12).text(section.title, MARGIN, doc.y);
  if (section.note) doc.font('Helvetica').fontSize(8).fillColor('#4b5563').text(section.note, { width });
  doc.moveDown(0.3).fillColor('#111827');
  const texts = section.rows.map((row) => row.map((cell, i) => formatCell(cell, section.columns[i]!)));
  if (texts.length === 0) {
    doc.font('Helvetica-Oblique').fontSize(9).text('None in this period.', MARGIN, doc.y);
    return;
  }
  const widths = columnWidths(section, texts, width);
  doc.font('Helvetica').fontSize(TABLE_FONT_SIZE);
  doc.table({
    position: { x: MARGIN, y: doc.y },
    maxWidth: width,
    columnStyles: widths.map((w) => ({ width: w })),
    defaultStyle: { border: 0.5, borderColor: '#d1d5db', padding: 2 },
    rowStyles: (row) => (row === 0 ? { font: { src: 'Helvetica-Bold' }, backgroundColor: '#f3f4f6' } : undefined),
    data: [section.columns.map((c) => c.title), ...texts],
  });
  doc.x = MARGIN;
}

/**
 * The report as a PDF made with PDFKit (standard Helvetica, A4 landscape so the customer table fits):
 * a title, the risk distribution as a bar chart against the previous period, then every table of the
 * report. Resolves with the document's bytes.
 */
export function reportPdf(report: Report): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: report.title, Subject: `${report.period.from} to ${report.period.to}`, Creator: 'Churn Radar monitoring', CreationDate: new Date(report.generated_at) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#111827').text(report.title, MARGIN, MARGIN);
  doc.font('Helvetica').fontSize(10).fillColor('#374151').text(`Period ${report.period.from} to ${report.period.to} (${report.period.days} days), generated ${report.generated_at}`);
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor('#111827').text('Risk distribution, this period against the previous one');
  const chartTop = doc.y + 4;
  const height = drawRiskChart(doc, report.risk, MARGIN, chartTop, Math.min(width, 520));
  doc.x = MARGIN;
  doc.y = chartTop + height + 4;
  for (const section of reportSections(report)) drawSection(doc, section, width);
  doc.end();
  return done;
}
