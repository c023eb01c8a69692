import { z } from 'zod';

export const sandboxSlackMessageSchema = z.object({
  at: z.string(),
  status: z.number(),
  text: z.string(),
  lines: z.array(z.string()),
  alert_ids: z.array(z.string()),
});
export type SandboxSlackMessage = z.infer<typeof sandboxSlackMessageSchema>;

export const sandboxEmailSchema = z.object({
  at: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  alert_ids: z.array(z.string()),
  /** Files attached (a report's PDF and CSV). */
  attachments: z.array(z.object({ filename: z.string(), content_type: z.string(), bytes: z.number() })),
});
export type SandboxEmail = z.infer<typeof sandboxEmailSchema>;

export const sandboxCrmWriteSchema = z.object({
  at: z.string(),
  system: z.enum(['salesforce', 'hubspot']),
  kind: z.enum(['score', 'task']),
  object: z.string(),
  key: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
export type SandboxCrmWrite = z.infer<typeof sandboxCrmWriteSchema>;

/** `GET /v1/sandbox/outbox`: what the integration sandbox's stand-ins received (the demo only). */
export const sandboxOutboxSchema = z.object({
  started_at: z.string(),
  totals: z.object({
    slack_messages: z.number(),
    slack_refused: z.number(),
    emails: z.number(),
    salesforce_score_writes: z.number(),
    salesforce_tasks: z.number(),
    hubspot_score_writes: z.number(),
    hubspot_tasks: z.number(),
  }),
  slack: z.array(sandboxSlackMessageSchema),
  email: z.array(sandboxEmailSchema),
  crm: z.array(sandboxCrmWriteSchema),
});
export type SandboxOutbox = z.infer<typeof sandboxOutboxSchema>;
