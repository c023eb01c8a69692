import { z } from 'zod';
import { ALERT_STATES, RISK_LEVELS } from '@churn/contracts';
import { QUEUE_MAX_SORT_KEYS, QUEUE_SORT_KEYS } from '@churn/alerting-data';

/** A comma-separated query parameter as a list of distinct values among `values`. */
function commaList<const V extends readonly [string, ...string[]]>(values: V, max: number) {
  return z
    .string()
    .min(1)
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(
      z
        .array(z.enum(values))
        .min(1)
        .max(max)
        .refine((items) => new Set(items).size === items.length, { message: 'lists a value twice' }),
    );
}

const person = z.string().trim().min(1).max(200);

export const queueQuerySchema = z
  .object({
    /** Levels, comma-separated: `level=critical,high`. */
    level: commaList(RISK_LEVELS, 4).optional(),
    /** States, comma-separated: `state=pending,acknowledged`. */
    state: commaList(ALERT_STATES, 4).optional(),
    /** `me` (the token's subject), `none` (unassigned), or a person's name as assigned. */
    owner: person.optional(),
    /** `true`: pending alerts past their deadline; `false`: all others. */
    overdue: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    customer_id: z.string().min(1).max(200).optional(),
    since: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with zone' }).optional(),
    /** Up to three keys, comma-separated, `-` for descending: `sort=-level,due_at`. Default `due_at` (soonest deadline first). */
    sort: commaList(QUEUE_SORT_KEYS, QUEUE_MAX_SORT_KEYS).default(['due_at']),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    page_size: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export type QueueQuery = z.output<typeof queueQuerySchema>;

export const assignBodySchema = z
  .object({
    /** The person to assign to; `me`: the token's subject; null: unassign. */
    assignee: person.nullable(),
  })
  .strict();

export type AssignBody = z.output<typeof assignBodySchema>;

export const BULK_MAX_IDS = 500;

const alertId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only');

export const bulkBodySchema = z
  .object({
    action: z.enum(['acknowledge', 'resolve']),
    ids: z
      .array(alertId)
      .min(1)
      .max(BULK_MAX_IDS)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'lists an alert twice' }),
    note: z.string().max(2000).optional(),
    /** The person who acts (name or e-mail); unset: the token's subject. */
    by: person.optional(),
  })
  .strict();

export type BulkBody = z.output<typeof bulkBodySchema>;
