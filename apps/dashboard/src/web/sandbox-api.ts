import { ApiError, fetchWithToken } from './api';

/** The integration sandbox's outbox as monitoring forwards it (`GET /v1/sandbox/outbox`; shapes of @churn/sandbox). */

export interface SandboxSlackMessage {
  at: string;
  status: number;
  text: string;
  lines: string[];
  alert_ids: string[];
}

export interface SandboxEmail {
  at: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  alert_ids: string[];
  /** Files attached (a report's PDF and CSV). */
  attachments: { filename: string; content_type: string; bytes: number }[];
}

export interface SandboxCrmWrite {
  at: string;
  system: 'salesforce' | 'hubspot';
  kind: 'score' | 'task';
  object: string;
  key: string;
  fields: Record<string, unknown>;
}

export interface SandboxOutbox {
  started_at: string;
  totals: {
    slack_messages: number;
    slack_refused: number;
    emails: number;
    salesforce_score_writes: number;
    salesforce_tasks: number;
    hubspot_score_writes: number;
    hubspot_tasks: number;
  };
  slack: SandboxSlackMessage[];
  email: SandboxEmail[];
  crm: SandboxCrmWrite[];
}

/**
 * undefined: no sandbox behind this monitoring (404), i.e. the integrations talk to real services.
 * What the stand-ins received names customers: the read carries the user's token (role agent or admin).
 */
export async function fetchSandboxOutbox(token: string, limit = 100): Promise<SandboxOutbox | undefined> {
  try {
    return await fetchWithToken<SandboxOutbox>(`v1/sandbox/outbox?limit=${limit}`, token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}
