import PDFDocument from 'pdfkit';
import type { Report } from './report';
import { formatCell, type ReportSection } from './report-cells';
import { reportSections } from './report-sections';
import { drawRiskChart } from './risk-chart';

const MARGIN = 36;
const TABLE_FONT_SIZE = 7.5;
const CELL_PADDING = 2;
const MAX_WIDENING = 1.6;

/** The width `cap` must limit columns to so that they fit `width` together (the widest ones wrap). */
function capFor(natural: readonly number[], width: number): number {
  let [low, high] = [0, Math.max(...natural)];
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (natural.reduce((sum, n) => sum + Math.min(n, mid), 0) > width) high = mid;
    else low = mid;
  }
  return low;
}

/**
 * Column widths from the text they hold, measured in the table's font: every column as wide as its
 * widest cell (ids and figures never wrap) when the table fits the page; otherwise the widest
 * columns (drivers, actions) share what is left and wrap. A table narrower than the page is widened
 * in proportion, up to MAX_WIDENING (a two-column table stays compact).
 */
function columnWidths(doc: PDFKit.PDFDocument, section: ReportSection, texts: readonly string[][], width: number): number[] {
  const measure = (text: string, font: string) => doc.font(font).fontSize(TABLE_FONT_SIZE).widthOfString(text) + 2 * CELL_PADDING + 2;
  const natural = section.columns.map((c, i) => Math.max(measure(c.title, 'Helvetica-Bold'), ...texts.map((row) => measure(row[i] ?? '', 'Helvetica'))));
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= width) return natural.map((n) => n * Math.min(MAX_WIDENING, width / total));
  const cap = capFor(natural, width);
  return natural.map((n) => Math.min(n, cap));
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
  const widths = columnWidths(doc, section, texts, width);
  doc.font('Helvetica').fontSize(TABLE_FONT_SIZE);
  doc.table({
    position: { x: MARGIN, y: doc.y },
    maxWidth: width,
    // Figures right-aligned, so digits line up; text left.
    columnStyles: widths.map((w, i) => ({ width: w, ...(section.columns[i]!.kind === 'text' ? {} : { align: { x: 'right' as const, y: 'top' as const } }) })),
    defaultStyle: { border: 0.5, borderColor: '#d1d5db', padding: CELL_PADDING },
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
    info: {
      Title: report.title,
      Subject: `${report.period.from} to ${report.period.to}`,
      Creator: 'Churn Radar monitoring',
      CreationDate: new Date(report.generated_at),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#111827').text(report.title, MARGIN, MARGIN);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#374151')
    .text(`Period ${report.period.from} to ${report.period.to} (${report.period.days} days), generated ${report.generated_at}`);
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor('#111827').text('Risk distribution, this period against the previous one');
  const chartTop = doc.y + 4;
  const height = drawRiskChart(doc, report.risk, MARGIN, chartTop, Math.min(width, 520));
  doc.x = MARGIN;
  doc.y = chartTop + height + 4;
  for (const section of reportSections(report)) drawSection(doc, section, width);
  doc.end();
  return done;
}
