import type { EvaluatorState } from '@churn/feature-spec';
import type { Queryable } from '@churn/db';

/** A customer's state as ingest keeps it: the evaluator's state and the hash of the spec it was folded under. */
export interface StoredCustomerState {
  readonly customerId: string;
  /** Null for a row folded before states were spec-driven: to rebuild from the event log. */
  readonly specHash: string | null;
  /** Null together with specHash. */
  readonly state: EvaluatorState | null;
}

interface Row {
  customerId: string;
  specHash: string | null;
  state: EvaluatorState | null;
}

const SELECT_LIST = `customer_id AS "customerId", spec_hash AS "specHash", state`;

export class CustomerStateRepository {
  /** Loads and locks the states of these customers for the rest of the transaction. */
  async lockMany(tx: Queryable, customerIds: readonly string[]): Promise<Map<string, StoredCustomerState>> {
    if (customerIds.length === 0) return new Map();
    const rows = await tx.query<Row>(
      'customer_state.lock_many',
      `SELECT ${SELECT_LIST} FROM customer_state WHERE customer_id = ANY($1::text[]) ORDER BY customer_id FOR UPDATE`,
      [customerIds],
    );
    return new Map(rows.map((row) => [row.customerId, row]));
  }

  async findOne(db: Queryable, customerId: string): Promise<StoredCustomerState | undefined> {
    const rows = await db.query<Row>('customer_state.find_one', `SELECT ${SELECT_LIST} FROM customer_state WHERE customer_id = $1`, [customerId]);
    return rows[0];
  }

  /** Writes many states with one statement (multi-row upsert through unnest). */
  async upsertMany(tx: Queryable, specHash: string, states: ReadonlyMap<string, EvaluatorState>): Promise<void> {
    if (states.size === 0) return;
    const rows = [...states];
    await tx.query(
      'customer_state.upsert_many',
      `INSERT INTO customer_state (customer_id, state, spec_hash, first_event_at, last_event_at, last_event_id)
       SELECT customer_id, state, $2::text, first_event_at, last_event_at, last_event_id
         FROM unnest($1::text[], $3::jsonb[], $4::timestamptz[], $5::timestamptz[], $6::text[])
              AS t(customer_id, state, first_event_at, last_event_at, last_event_id)
       ON CONFLICT (customer_id) DO UPDATE SET
         state = EXCLUDED.state, spec_hash = EXCLUDED.spec_hash, first_event_at = EXCLUDED.first_event_at,
         last_event_at = EXCLUDED.last_event_at, last_event_id = EXCLUDED.last_event_id, updated_at = now()`,
      [
        rows.map(([id]) => id),
        specHash,
        rows.map(([, state]) => JSON.stringify(state)),
        rows.map(([, state]) => state.firstEventAt),
        rows.map(([, state]) => state.lastEventAt),
        rows.map(([, state]) => state.lastEventId),
      ],
    );
  }
}
