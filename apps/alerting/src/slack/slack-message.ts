import type { AlertRow } from '@churn/db';
import { formatMoney } from '../rules/alert-rules.engine';

/** Slack refuses messages of more than 50 blocks. */
export const SLACK_MAX_BLOCKS = 50;
const SECTION_TEXT_MAX = 3000;
const LEVEL_ICON: Record<string, string> = { critical: ':red_circle:', high: ':large_orange_circle:', medium: ':large_yellow_circle:', low: ':white_circle:' };

export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

interface AlertDetails {
  recommended_action?: string;
  revenue_at_risk?: number;
  top_factors?: { feature: string; value: string | number; contribution: number }[];
  model_version?: string;
}

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function alertLink(dashboardUrl: string, alertId: string): string {
  return new URL(`alerts/${encodeURIComponent(alertId)}`, dashboardUrl.endsWith('/') ? dashboardUrl : `${dashboardUrl}/`).toString();
}

/** One alert: customer, score, level, top factors, recommended action, revenue at risk, dashboard link. */
export function slackAlertMessage(alert: AlertRow, dashboardUrl: string): SlackPayload {
  const details = alert.details as AlertDetails;
  const customer = escapeMrkdwn(alert.customer_id);
  const level = alert.level;
  const factors = (details.top_factors ?? [])
    .slice(0, 5)
    .map((f) => `• ${escapeMrkdwn(f.feature)} = ${escapeMrkdwn(String(f.value))} (${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(3)})`)
    .join('\n');
  const url = alertLink(dashboardUrl, alert.alert_id);
  return {
    text: truncate(`${capitalised(level)} churn risk: customer ${alert.customer_id}, score ${alert.risk_score}/100`, 300),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(`${capitalised(level)} churn risk: ${alert.customer_id}`, 150) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Customer*\n${customer}` },
          { type: 'mrkdwn', text: `*Risk score*\n${alert.risk_score}/100` },
          { type: 'mrkdwn', text: `*Level*\n${LEVEL_ICON[level] ?? ''} ${level}` },
          { type: 'mrkdwn', text: `*Revenue at risk*\n${formatMoney(details.revenue_at_risk ?? 0)}` },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Recommended action*\n${escapeMrkdwn(details.recommended_action || '—')}`, SECTION_TEXT_MAX) } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Top factors*\n${factors || '—'}`, SECTION_TEXT_MAX) } },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in dashboard' }, url }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `alert ${alert.alert_id} · prediction ${escapeMrkdwn(alert.prediction_id)}${details.model_version ? ` · model ${escapeMrkdwn(details.model_version)}` : ''}` }] },
    ],
  };
}

/**
 * Several alerts in one message, for when more are due than Slack's rate allows: a header, one
 * section per alert (with its link) and a closing context — at most 3 + alerts blocks, so callers
 * keep `alerts.length` ≤ 47.
 */
export function slackDigestMessage(alerts: readonly AlertRow[], dashboardUrl: string): SlackPayload {
  if (alerts.length + 3 > SLACK_MAX_BLOCKS) throw new Error(`a Slack digest holds at most ${SLACK_MAX_BLOCKS - 3} alerts`);
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.level, (counts.get(a.level) ?? 0) + 1);
  const summary = [...counts].map(([level, n]) => `${n} ${level}`).join(', ');
  return {
    text: `${alerts.length} churn alerts (${summary})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${alerts.length} churn alerts (${summary})` } },
      ...alerts.map((alert) => {
        const details = alert.details as AlertDetails;
        const action = details.recommended_action ? `\n${escapeMrkdwn(details.recommended_action)}` : '';
        return {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: truncate(
              `${LEVEL_ICON[alert.level] ?? ''} *<${alertLink(dashboardUrl, alert.alert_id)}|${escapeMrkdwn(alert.customer_id)}>* · ${alert.level} · ${alert.risk_score}/100 · ${formatMoney(details.revenue_at_risk ?? 0)} at risk${action}\n_alert ${alert.alert_id}_`,
              SECTION_TEXT_MAX,
            ),
          },
        };
      }),
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Digest: more alerts were due than Slack allows per second; each is listed once here.' }] },
    ],
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
