import type { CustomerCrmActivityRow, CustomerNotificationRow } from '@churn/monitoring-data';

const CHANNEL_NAMES: Readonly<Record<string, string>> = { slack: 'Slack', email: 'e-mail' };
const CRM_NAMES: Readonly<Record<string, string>> = { salesforce: 'Salesforce', hubspot: 'HubSpot' };

/** A notification delivery attempt as a timeline entry. */
export function notificationEntry(n: CustomerNotificationRow) {
  const channel = CHANNEL_NAMES[n.channel] ?? n.channel;
  const via = n.form === 'digest' ? ' (in a digest)' : '';
  const summary =
    n.outcome === 'sent'
      ? `${channel} notification sent${via}`
      : `${channel} notification failed${via}: ${n.failure ?? 'unknown'}, attempt ${n.attempt}${n.parked ? ', parked' : ''}`;
  return {
    at: n.occurred_at.toISOString(),
    kind: 'notification' as const,
    summary,
    notification_id: n.notification_id,
    alert_id: n.alert_id,
    channel: n.channel,
    form: n.form,
    outcome: n.outcome,
    attempt: n.attempt,
    failure: n.failure,
    parked: n.parked,
  };
}

/** A CRM activity as a timeline entry. */
export function crmEntry(a: CustomerCrmActivityRow) {
  const crm = CRM_NAMES[a.crm] ?? a.crm;
  const summary =
    a.kind === 'record_written'
      ? a.write === 'score'
        ? `score ${a.risk_score ?? '?'} written to ${crm}`
        : `churn written to ${crm}`
      : a.kind === 'task_created'
        ? `retention task created in ${crm}`
        : a.completed_by
          ? `retention task completed in ${crm} by ${a.completed_by}`
          : `retention task closed in ${crm} on churn`;
  return {
    at: a.occurred_at.toISOString(),
    kind: 'crm' as const,
    summary,
    activity_id: a.activity_id,
    crm: a.crm,
    activity: a.kind,
    external_id: a.external_id,
    write: a.write,
    risk_score: a.risk_score,
    alert_id: a.alert_id,
    completed_by: a.completed_by,
  };
}
