import type { Queryable } from '@churn/db';
import { labelWindowOutcomeId } from '@churn/db';

/** What one closing of label windows did. */
export interface ClosedLabelWindows {
  /** Customers whose newest champion prediction at least a window old opens a window now closed. */
  readonly windowsDue: number;
  /** Of those, windows that hold a churn (any source): labelled by it, nothing recorded. */
  readonly churnedInWindow: number;
  /**
   * Windows without a churn that hold another outcome: a `churned: false` of a feed or a person, or the
   * end of an earlier window (the prediction re-scored the customer inside a closed window). Labelled
   * already: nothing recorded.
   */
  readonly labelledInWindow: number;
  /** `churned: false` outcomes recorded now (source `label_window`). */
  readonly recorded: number;
  /** Windows whose outcome was stored already (closed by an earlier run). */
  readonly alreadyRecorded: number;
}

interface CandidateRow {
  customer_id: string;
  window_start: Date;
  window_end: Date;
  churned_in_window: boolean;
  labelled_in_window: boolean;
}

/**
 * Label windows (docs/monitoring.md, "Label windows"), over monitoring's own tables: the champion
 * predictions it consumed and the outcomes. A customer's window opens at the `as_of` of a champion
 * prediction and runs `windowDays`; at `now` the window considered is the one opened by the customer's
 * newest prediction whose window has closed (as_of ≤ now − windowDays). A churned outcome in it
 * labels it churned; another outcome in it labels it too — a feed's or a person's `churned: false`, or
 * an earlier window's end (the prediction re-scored the customer inside a window that was closed: that
 * window ends before this one does, so it is not a window of its own). Otherwise it gets
 * `churned: false` at its end, with an id from the customer and the window's start,
 * so closing again, concurrently or after a crash, records nothing twice.
 */
export class LabelWindowRepository {
  async close(tx: Queryable, now: Date, windowDays: number): Promise<ClosedLabelWindows> {
    // One closer at a time: the overlap check reads what an earlier closing wrote.
    await tx.query('label_windows.lock', `SELECT pg_advisory_xact_lock(hashtextextended('monitoring:label-windows', 0))`);
    const candidates = await tx.query<CandidateRow>(
      'label_windows.candidates',
      `WITH due AS (
         SELECT DISTINCT ON (customer_id) customer_id, as_of AS window_start, as_of + $2::float8 * interval '1 day' AS window_end
           FROM monitoring_predictions
          WHERE role = 'champion' AND as_of <= $1::timestamptz - $2::float8 * interval '1 day'
          ORDER BY customer_id, as_of DESC
       )
       SELECT d.customer_id, d.window_start, d.window_end,
              EXISTS (SELECT 1 FROM outcomes o WHERE o.customer_id = d.customer_id AND o.churned
                         AND o.observed_at >= d.window_start AND o.observed_at <= d.window_end) AS churned_in_window,
              EXISTS (SELECT 1 FROM outcomes o WHERE o.customer_id = d.customer_id AND NOT o.churned
                         AND o.observed_at > d.window_start AND o.observed_at <= d.window_end
                         -- this window's own outcome, recorded by an earlier run: already recorded, below
                         AND NOT (o.source = 'label_window' AND o.observed_at = d.window_end)) AS labelled_in_window
         FROM due d`,
      [now, windowDays],
    );
    const open = candidates.filter((c) => !c.churned_in_window && !c.labelled_in_window);
    const inserted =
      open.length === 0
        ? []
        : await tx.query<{ outcome_id: string }>(
            'label_windows.record',
            `INSERT INTO outcomes (outcome_id, source, customer_id, churned, observed_at)
       SELECT id, 'label_window', customer_id, false, observed_at FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(id, customer_id, observed_at)
       ON CONFLICT (outcome_id) DO NOTHING
       RETURNING outcome_id`,
            [open.map((c) => labelWindowOutcomeId(c.customer_id, c.window_start)), open.map((c) => c.customer_id), open.map((c) => c.window_end)],
          );
    return {
      windowsDue: candidates.length,
      churnedInWindow: candidates.filter((c) => c.churned_in_window).length,
      labelledInWindow: candidates.filter((c) => !c.churned_in_window && c.labelled_in_window).length,
      recorded: inserted.length,
      alreadyRecorded: open.length - inserted.length,
    };
  }
}
