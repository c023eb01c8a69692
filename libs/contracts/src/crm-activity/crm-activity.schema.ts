import { z } from 'zod';
import { nulFreeText as text } from '../common/nul-free-text';
import { zonedTimestamp } from '../common/timestamp';

export const CRM_NAMES = ['salesforce', 'hubspot'] as const;
export const crmNameSchema = z.enum(CRM_NAMES);

/**
 * What crm-sync did in a CRM for a customer: `record_written` (the churn score, or the churn outcome,
 * written to the customer's record), `task_created` (a retention task for an alert) and
 * `task_completed` (read back: a person completed it, or crm-sync closed it when the customer churned).
 */
export const CRM_ACTIVITY_KINDS = ['record_written', 'task_created', 'task_completed'] as const;
export const crmActivityKindSchema = z.enum(CRM_ACTIVITY_KINDS);
export type CrmActivityKind = z.infer<typeof crmActivityKindSchema>;

/**
 * One CRM activity on `crm-activity` (key: customer_id), written by crm-sync in the transaction that
 * records it in crm-sync's own state and published by its relay at least once: consumers dedupe on
 * `activity_id`. A task's `external_id` (the CRM's task id) ties `task_created` to its `task_completed`.
 */
export const crmActivitySchema = z
  .object({
    schema_version: z.literal(1),
    activity_id: text(),
    customer_id: text(),
    crm: crmNameSchema,
    kind: crmActivityKindSchema,
    /** The CRM's id of the record or task; null when the CRM gave none (a record matched by our key). */
    external_id: text().nullable(),
    /** `record_written`: what was written. */
    write: z.enum(['score', 'churn']).nullable(),
    /** The score written (`record_written` of a score). */
    risk_score: z.number().int().min(0).max(100).nullable(),
    /** The alert a task is for (`task_created`, `task_completed`). */
    alert_id: text().nullable(),
    /** `task_completed`: who completed it in the CRM (null when crm-sync closed it on churn). */
    completed_by: text().max(200).nullable(),
    occurred_at: zonedTimestamp,
  })
  .refine((a) => (a.kind === 'record_written') === (a.write !== null), { path: ['write'], message: 'given exactly for record_written' })
  .refine((a) => a.kind === 'record_written' || a.external_id !== null, {
    path: ['external_id'],
    message: "is required for a task (it ties a task's creation to its completion)",
  });

export type CrmActivity = z.infer<typeof crmActivitySchema>;
