import { simpleParser } from 'mailparser';
import type { HubSpotTask, HubSpotWrite } from './crm/fake-hubspot';
import type { SalesforceWrite } from './crm/fake-salesforce';
import type { ReceivedMail } from './notifications/fake-smtp.server';
import type { SlackRequestRecord } from './notifications/fake-slack.server';

/** One Slack webhook call as the channel would have shown it. */
export interface OutboxSlackMessage {
  readonly at: string;
  /** 200 delivered; 429 refused by the sandbox's rate limit (alerting retries it); 400 invalid payload. */
  readonly status: number;
  readonly text: string;
  /** The readable lines of the Block Kit blocks (headers, sections, fields, context), in order. */
  readonly lines: string[];
  readonly alert_ids: string[];
}

/** A file attached to a mail (a report's PDF and CSV), described, not carried. */
export interface OutboxAttachment {
  readonly filename: string;
  readonly content_type: string;
  readonly bytes: number;
}

export interface OutboxEmail {
  readonly at: string;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly alert_ids: string[];
  readonly attachments: OutboxAttachment[];
}

/** A write to a CRM: a churn score on a customer's record, or a retention task. */
export interface OutboxCrmWrite {
  readonly at: string;
  readonly system: 'salesforce' | 'hubspot';
  readonly kind: 'score' | 'task';
  readonly object: string;
  /** The customer id (score writes), the alert id (Salesforce tasks), or HubSpot's task id. */
  readonly key: string;
  readonly fields: Record<string, unknown>;
}

export interface Outbox {
  readonly started_at: string;
  readonly totals: {
    readonly slack_messages: number;
    readonly slack_refused: number;
    readonly emails: number;
    readonly salesforce_score_writes: number;
    readonly salesforce_tasks: number;
    readonly hubspot_score_writes: number;
    readonly hubspot_tasks: number;
  };
  /** Newest first, at most `limit` of each. */
  readonly slack: OutboxSlackMessage[];
  readonly email: OutboxEmail[];
  readonly crm: OutboxCrmWrite[];
}

export interface OutboxSources {
  readonly startedAt: number;
  readonly slack: readonly SlackRequestRecord[];
  readonly mails: readonly ReceivedMail[];
  readonly salesforce: readonly SalesforceWrite[];
  readonly hubspot: readonly HubSpotWrite[];
  readonly hubspotTasks: readonly HubSpotTask[];
}

const iso = (at: number) => new Date(at).toISOString();
const newestFirst = <T extends { at: number }>(items: readonly T[], limit: number): T[] => items.slice(-limit).reverse();

/** What the sandbox's Slack, SMTP, Salesforce and HubSpot received, as the dashboard lists it. */
export async function buildOutbox(sources: OutboxSources, limit: number): Promise<Outbox> {
  const slackDelivered = sources.slack.filter((r) => r.status === 200).length;
  const crm: (OutboxCrmWrite & { ms: number })[] = [
    ...newestFirst(sources.salesforce, limit).map((w) => ({
      ms: w.at,
      at: iso(w.at),
      system: 'salesforce' as const,
      kind: w.object === 'Task' ? ('task' as const) : ('score' as const),
      object: w.object,
      key: w.externalId,
      fields: w.fields,
    })),
    ...newestFirst(sources.hubspot, limit).map((w) => ({
      ms: w.at,
      at: iso(w.at),
      system: 'hubspot' as const,
      kind: 'score' as const,
      object: w.object,
      key: w.id,
      fields: w.properties,
    })),
    ...newestFirst(sources.hubspotTasks, limit).map((t) => ({
      ms: t.at,
      at: iso(t.at),
      system: 'hubspot' as const,
      kind: 'task' as const,
      object: 'tasks',
      key: t.id,
      fields: t.properties,
    })),
  ];
  return {
    started_at: iso(sources.startedAt),
    totals: {
      slack_messages: slackDelivered,
      slack_refused: sources.slack.length - slackDelivered,
      emails: sources.mails.length,
      salesforce_score_writes: sources.salesforce.filter((w) => w.object !== 'Task').length,
      // Tasks, not writes: a churned customer's task is written again (its note).
      salesforce_tasks: new Set(sources.salesforce.filter((w) => w.object === 'Task').map((w) => w.externalId)).size,
      hubspot_score_writes: sources.hubspot.length,
      hubspot_tasks: sources.hubspotTasks.length,
    },
    slack: newestFirst(sources.slack, limit).map(describeSlackRequest),
    email: await Promise.all(newestFirst(sources.mails, limit).map(describeMail)),
    crm: crm
      .sort((a, b) => b.ms - a.ms)
      .slice(0, limit)
      .map(({ ms: _ms, ...write }) => write),
  };
}

function describeSlackRequest(record: SlackRequestRecord): OutboxSlackMessage {
  let payload: { text?: unknown; blocks?: unknown } = {};
  try {
    payload = JSON.parse(record.body) as typeof payload;
  } catch {
    // An invalid payload is shown as the sandbox received it.
  }
  return {
    at: iso(record.at),
    status: record.status,
    text: typeof payload.text === 'string' ? payload.text : record.body.slice(0, 500),
    lines: Array.isArray(payload.blocks) ? payload.blocks.flatMap(blockLines) : [],
    alert_ids: record.alertIds,
  };
}

/** Readable text of one Block Kit block: header and section texts, section fields, context elements. */
function blockLines(block: unknown): string[] {
  if (typeof block !== 'object' || block === null) return [];
  const { text, fields, elements } = block as { text?: { text?: unknown }; fields?: { text?: unknown }[]; elements?: { text?: unknown }[] };
  const texts = [text?.text, ...(fields ?? []).map((f) => f.text), ...(elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : undefined))];
  return texts.filter((t): t is string => typeof t === 'string' && t.length > 0);
}

async function describeMail(mail: ReceivedMail): Promise<OutboxEmail> {
  // mailparser decodes what nodemailer encoded (quoted-printable, encoded-word subjects, multipart).
  const parsed = await simpleParser(mail.source);
  return {
    at: iso(mail.at),
    from: mail.from,
    to: mail.to,
    subject: parsed.subject ?? mail.subject,
    text: (parsed.text ?? '').trim(),
    alert_ids: mail.alertIds,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '(unnamed)', content_type: a.contentType, bytes: a.size })),
  };
}
