import { escapeHtml, type EmailContent } from '@churn/mailer';
import { formatCell, reportSections, type Report } from '@churn/reports';

const day = (iso: string) => iso.replace(/T00:00:00\.000Z$/, '');

/**
 * The mail a report goes out in: the headline figures in the body (the summary table, as the PDF
 * prints it), the full report attached as PDF and CSV.
 */
export function reportEmail(report: Report): EmailContent {
  const period = `${day(report.period.from)} to ${day(report.period.to)}`;
  const summary = reportSections(report).find((s) => s.id === 'summary')!;
  const lines = summary.rows.map((row) => [String(row[0]), formatCell(row[1] ?? null, summary.columns[1]!)] as const);
  const risk = report.risk.levels.map((l) => `${l.level} ${l.customers} (previous ${l.previous_customers})`).join(', ');
  return {
    subject: `[Churn Radar] Retention report ${period}`,
    text: [
      `${report.title}, ${period}.`,
      '',
      ...lines.map(([k, v]) => `${`${k}:`.padEnd(40)}${v}`),
      `${'customers by risk level:'.padEnd(40)}${risk}`,
      '',
      'The full report is attached as PDF and CSV.',
    ].join('\n'),
    html: `<p>${escapeHtml(report.title)}, ${escapeHtml(period)}.</p>
<table>
${lines.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
<tr><th align="left">customers by risk level</th><td>${escapeHtml(risk)}</td></tr>
</table>
<p>The full report is attached as PDF and CSV.</p>`,
  };
}
