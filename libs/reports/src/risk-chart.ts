import type { RiskDistribution } from './report';

/** Colours of the dashboard's risk levels, so the printed chart reads like the screen. */
export const LEVEL_COLOURS: Readonly<Record<string, string>> = { critical: '#b91c1c', high: '#ea580c', medium: '#ca8a04', low: '#15803d' };
const PREVIOUS_COLOUR = '#9ca3af';

const LABEL_WIDTH = 70;
const BAR_HEIGHT = 9;
const ROW_HEIGHT = 26;

/**
 * The risk distribution as horizontal bars drawn with PDFKit's vector primitives: per level, this
 * period's customers (the level's colour) over the previous period's (grey), on one scale, each bar
 * labelled with its count. Returns the height used.
 */
export function drawRiskChart(doc: PDFKit.PDFDocument, risk: RiskDistribution, x: number, y: number, width: number): number {
  const largest = Math.max(1, ...risk.levels.flatMap((l) => [l.customers, l.previous_customers]));
  const scale = (width - LABEL_WIDTH - 60) / largest;
  doc.save();
  risk.levels.forEach((level, i) => {
    const top = y + i * ROW_HEIGHT;
    doc
      .fillColor('#111827')
      .font('Helvetica')
      .fontSize(9)
      .text(level.level, x, top + 3, { width: LABEL_WIDTH - 6, lineBreak: false });
    const bars: [number, string, string][] = [
      [level.customers, LEVEL_COLOURS[level.level] ?? '#374151', `${level.customers} this period`],
      [level.previous_customers, PREVIOUS_COLOUR, `${level.previous_customers} previous`],
    ];
    bars.forEach(([count, colour, label], j) => {
      const barTop = top + j * (BAR_HEIGHT + 2);
      const length = Math.max(count > 0 ? 1 : 0, count * scale);
      if (length > 0) doc.rect(x + LABEL_WIDTH, barTop, length, BAR_HEIGHT).fill(colour);
      doc
        .fillColor('#374151')
        .fontSize(7)
        .text(label, x + LABEL_WIDTH + length + 4, barTop + 1, { lineBreak: false });
    });
  });
  doc.restore();
  return risk.levels.length * ROW_HEIGHT;
}
