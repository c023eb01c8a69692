import { type AlertDetails, factorValueText } from '@churn/contracts';
import type { AlertRow, ReceivedModelAlert } from '@churn/alerting-data';
import { formatMoney } from '../rules/alert-rules.engine';
import { escapeMrkdwn, mrkdwnLink, truncateMrkdwn, truncatePlain } from './mrkdwn';

export { escapeMrkdwn } from './mrkdwn';

/** Slack's Block Kit limits (https://api.slack.com/reference/block-kit/blocks): messages over them are refused with 400 invalid_blocks. */
export const SLACK_MAX_BLOCKS = 50;
const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
const HEADER_TEXT_MAX = 150;
const CONTEXT_TEXT_MAX = 2000;
/** The top-level text is the notification and fallback; kept short, Slack refuses very long ones. */
const TOP_TEXT_MAX = 300;
const LEVEL_ICON: Record<string, string> = { critical: ':red_circle:', high: ':large_orange_circle:', medium: ':large_yellow_circle:', low: ':white_circle:' };

export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
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
    .map((f) => `• ${escapeMrkdwn(f.feature)} = ${escapeMrkdwn(factorValueText(f.value))} (${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(3)})`)
    .join('\n');
  const url = alertLink(dashboardUrl, alert.alert_id);
  return {
    text: truncateMrkdwn(`${capitalised(level)} churn risk: customer ${customer}, score ${alert.risk_score}/100`, TOP_TEXT_MAX),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncatePlain(`${capitalised(level)} churn risk: ${alert.customer_id}`, HEADER_TEXT_MAX) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: truncateMrkdwn(`*Customer*\n${customer}`, FIELD_TEXT_MAX) },
          { type: 'mrkdwn', text: `*Risk score*\n${alert.risk_score}/100` },
          { type: 'mrkdwn', text: `*Level*\n${LEVEL_ICON[level] ?? ''} ${level}` },
          { type: 'mrkdwn', text: `*Revenue at risk*\n${formatMoney(details.revenue_at_risk ?? 0)}` },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: truncateMrkdwn(`*Recommended action*\n${escapeMrkdwn(details.recommended_action || '—')}`, SECTION_TEXT_MAX) },
      },
      { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(`*Top factors*\n${factors || '—'}`, SECTION_TEXT_MAX) } },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in dashboard' }, url }] },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: truncateMrkdwn(
              `alert ${alert.alert_id} · prediction ${escapeMrkdwn(alert.prediction_id)}${details.model_version ? ` · model ${escapeMrkdwn(details.model_version)}` : ''}`,
              CONTEXT_TEXT_MAX,
            ),
          },
        ],
      },
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
      { type: 'header', text: { type: 'plain_text', text: truncatePlain(`${alerts.length} churn alerts (${summary})`, HEADER_TEXT_MAX) } },
      ...alerts.map((alert) => {
        const details = alert.details as AlertDetails;
        const action = details.recommended_action ? `\n${escapeMrkdwn(details.recommended_action)}` : '';
        return {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: truncateMrkdwn(
              `${LEVEL_ICON[alert.level] ?? ''} *${mrkdwnLink(alertLink(dashboardUrl, alert.alert_id), truncatePlain(alert.customer_id, 200))}* · ${alert.level} · ${alert.risk_score}/100 · ${formatMoney(details.revenue_at_risk ?? 0)} at risk\n_alert ${alert.alert_id}_${action}`,
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

/** A model alert (drift, quality) for the operators: what drifted, by how much, against which threshold. */
export function slackModelAlertMessage(alert: ReceivedModelAlert): SlackPayload {
  const title = `Model alert: ${alert.kind.replace(/_/g, ' ')} of ${alert.model_version}`;
  return {
    text: truncateMrkdwn(`${escapeMrkdwn(title)} (${escapeMrkdwn(alert.subject)})`, TOP_TEXT_MAX),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncatePlain(title, HEADER_TEXT_MAX) } },
      { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(escapeMrkdwn(alert.message || title), SECTION_TEXT_MAX) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: truncateMrkdwn(`*Model*\n${escapeMrkdwn(alert.model_version)}`, FIELD_TEXT_MAX) },
          { type: 'mrkdwn', text: truncateMrkdwn(`*Subject*\n${escapeMrkdwn(alert.subject)}`, FIELD_TEXT_MAX) },
          { type: 'mrkdwn', text: `*Value*\n${formatNumber(alert.value)}` },
          { type: 'mrkdwn', text: `*Threshold*\n${formatNumber(alert.threshold)}` },
        ],
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: truncateMrkdwn(`model alert ${escapeMrkdwn(alert.alert_id)} · ${alert.created_at.toISOString()}`, CONTEXT_TEXT_MAX) },
        ],
      },
    ],
  };
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
