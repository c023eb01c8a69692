import { z } from 'zod';

/** `POST /v1/outcomes` and `POST /v1/interventions`: every row stored now or already stored. */
export const recordsAnswerSchema = z.object({
  rows: z.number(),
  /** Rows stored now. */
  recorded: z.number(),
  /** Rows that were stored already (sent before): left as they were. */
  already_present: z.number(),
});
export type RecordsAnswer = z.infer<typeof recordsAnswerSchema>;

/** `POST /v1/outcomes/close-windows`: the label-window job's counts. */
export const labelWindowsAnswerSchema = z.object({
  now: z.string(),
  window_days: z.number(),
  windows_due: z.number(),
  churned_in_window: z.number(),
  labelled_in_window: z.number(),
  recorded: z.number(),
  already_recorded: z.number(),
});
export type LabelWindowsAnswer = z.infer<typeof labelWindowsAnswerSchema>;

/** `POST /v1/reports/email`: what the mail server took. */
export const reportEmailReceiptSchema = z.object({
  from: z.string(),
  to: z.string(),
  recipients: z.string(),
  message_id: z.string(),
  attachments: z.array(z.string()).readonly(),
  /** Addresses the server refused while taking the mail for the others. */
  rejected_recipients: z.array(z.string()).readonly(),
});
export type ReportEmailReceipt = z.infer<typeof reportEmailReceiptSchema>;
