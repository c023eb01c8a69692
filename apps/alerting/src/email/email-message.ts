import { type AlertDetails, factorValueText } from '@churn/contracts';
import type { AlertRow, ReceivedModelAlert } from '@churn/alerting-data';
import { escapeHtml, type EmailContent } from '@churn/mailer';
import { formatMoney } from '../rules/alert-rules.engine';
import { alertLink } from '../slack/slack-message';

/** The immediate mail of one (critical) alert. */
export function alertEmail(alert: AlertRow, dashboardUrl: string): EmailContent {
  const d = alert.details as AlertDetails;
  const link = alertLink(dashboardUrl, alert.alert_id);
  const factors = (d.top_factors ?? [])
    .slice(0, 5)
    .map((f) => `${f.feature} = ${factorValueText(f.value)} (${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(3)})`);
  const lines = [
    alert.message,
    '',
    `Customer:         ${alert.customer_id}`,
    `Risk score:       ${alert.risk_score}/100 (${alert.level})`,
    `Revenue at risk:  ${formatMoney(d.revenue_at_risk ?? 0)}`,
    `Recommended:      ${d.recommended_action || '—'}`,
    `Top factors:      ${factors.join('; ') || '—'}`,
    '',
    `Open: ${link}`,
    `Alert ${alert.alert_id}, prediction ${alert.prediction_id}`,
  ];
  return {
    subject: `[Churn Radar] ${alert.level.toUpperCase()} churn risk: ${alert.customer_id} (${alert.risk_score}/100)`,
    text: lines.join('\n'),
    html: `<p>${escapeHtml(alert.message)}</p>
<table>
<tr><th align="left">Customer</th><td>${escapeHtml(alert.customer_id)}</td></tr>
<tr><th align="left">Risk score</th><td>${alert.risk_score}/100 (${escapeHtml(alert.level)})</td></tr>
<tr><th align="left">Revenue at risk</th><td>${formatMoney(d.revenue_at_risk ?? 0)}</td></tr>
<tr><th align="left">Recommended</th><td>${escapeHtml(d.recommended_action || '—')}</td></tr>
<tr><th align="left">Top factors</th><td>${factors.map(escapeHtml).join('<br>') || '—'}</td></tr>
</table>
<p><a href="${escapeHtml(link)}">Open in the dashboard</a></p>
<p style="color:#888">Alert ${escapeHtml(alert.alert_id)}, prediction ${escapeHtml(alert.prediction_id)}</p>`,
  };
}

/** The daily digest: every alert waiting for it, most urgent first. */
export function digestEmail(alerts: readonly AlertRow[], day: string, dashboardUrl: string): EmailContent {
  const rows = alerts.map((a) => {
    const d = a.details as AlertDetails;
    return { a, d, link: alertLink(dashboardUrl, a.alert_id) };
  });
  return {
    subject: `[Churn Radar] Daily digest ${day}: ${alerts.length} alert${alerts.length === 1 ? '' : 's'}`,
    text: [
      `${alerts.length} alert(s) for ${day}:`,
      '',
      ...rows.map(
        ({ a, d, link }) =>
          `- ${a.customer_id}  ${a.level}  ${a.risk_score}/100  ${formatMoney(d.revenue_at_risk ?? 0)} at risk  ${d.recommended_action ?? ''}\n  ${link}  (alert ${a.alert_id})`,
      ),
    ].join('\n'),
    html: `<p>${alerts.length} alert(s) for ${escapeHtml(day)}:</p>
<table>
<tr><th align="left">Customer</th><th>Level</th><th>Score</th><th>Revenue at risk</th><th align="left">Recommended</th><th>Alert</th></tr>
${rows
  .map(
    ({ a, d, link }) =>
      `<tr><td><a href="${escapeHtml(link)}">${escapeHtml(a.customer_id)}</a></td><td>${escapeHtml(a.level)}</td><td>${a.risk_score}</td><td>${formatMoney(d.revenue_at_risk ?? 0)}</td><td>${escapeHtml(d.recommended_action ?? '')}</td><td>${escapeHtml(a.alert_id)}</td></tr>`,
  )
  .join('\n')}
</table>`,
  };
}

/** A model alert (drift, quality) for the operators. */
export function modelAlertEmail(alert: ReceivedModelAlert): EmailContent {
  const kind = alert.kind.replace(/_/g, ' ');
  const rows: [string, string][] = [
    ['Model', alert.model_version],
    ['Kind', kind],
    ['Subject', alert.subject],
    ['Value', String(alert.value)],
    ['Threshold', String(alert.threshold)],
    ['Raised at', alert.created_at.toISOString()],
  ];
  return {
    subject: `[Churn Radar] Model alert: ${kind} of ${alert.model_version} (${alert.subject})`,
    text: [alert.message, '', ...rows.map(([k, v]) => `${`${k}:`.padEnd(12)}${v}`), '', `Model alert ${alert.alert_id}`].join('\n'),
    html: `<p>${escapeHtml(alert.message)}</p>
<table>
${rows.map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<p style="color:#888">Model alert ${escapeHtml(alert.alert_id)}</p>`,
  };
}
