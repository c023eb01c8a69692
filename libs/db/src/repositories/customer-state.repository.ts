import type { CustomerState } from '@churn/feature-state';
import type { Queryable } from '../database';

export type { CustomerState };


const COLUMNS: ReadonlyArray<readonly [keyof CustomerState, string, string]> = [
  ['customerId', 'customer_id', 'text'],
  ['signedUpAt', 'signed_up_at', 'timestamptz'],
  ['gender', 'gender', 'text'],
  ['seniorCitizen', 'senior_citizen', 'boolean'],
  ['partner', 'partner', 'boolean'],
  ['dependents', 'dependents', 'boolean'],
  ['profileUpdatedAt', 'profile_updated_at', 'timestamptz'],
  ['contract', 'contract', 'text'],
  ['phoneService', 'phone_service', 'boolean'],
  ['multipleLines', 'multiple_lines', 'text'],
  ['internetService', 'internet_service', 'text'],
  ['onlineSecurity', 'online_security', 'text'],
  ['onlineBackup', 'online_backup', 'text'],
  ['deviceProtection', 'device_protection', 'text'],
  ['techSupport', 'tech_support', 'text'],
  ['streamingTv', 'streaming_tv', 'text'],
  ['streamingMovies', 'streaming_movies', 'text'],
  ['paperlessBilling', 'paperless_billing', 'boolean'],
  ['paymentMethod', 'payment_method', 'text'],
  ['monthlyCharges', 'monthly_charges', 'numeric'],
  ['subscriptionUpdatedAt', 'subscription_updated_at', 'timestamptz'],
  ['totalCharges', 'total_charges', 'numeric'],
  ['invoicesPaid', 'invoices_paid', 'int'],
  ['lastEventAt', 'last_event_at', 'timestamptz'],
  ['lastEventId', 'last_event_id', 'text'],
];

const SELECT_LIST = COLUMNS.map(([field, column]) => `${column} AS "${field}"`).join(', ');

export class CustomerStateRepository {
  /** Loads and locks the states of these customers for the rest of the transaction. */
  async lockMany(tx: Queryable, customerIds: readonly string[]): Promise<Map<string, CustomerState>> {
    if (customerIds.length === 0) return new Map();
    const rows = await tx.query<CustomerState>(
      'customer_state.lock_many',
      `SELECT ${SELECT_LIST} FROM customer_state WHERE customer_id = ANY($1::text[]) ORDER BY customer_id FOR UPDATE`,
      [customerIds],
    );
    return new Map(rows.map((row) => [row.customerId, normalize(row)]));
  }

  async findOne(db: Queryable, customerId: string): Promise<CustomerState | undefined> {
    const rows = await db.query<CustomerState>('customer_state.find_one', `SELECT ${SELECT_LIST} FROM customer_state WHERE customer_id = $1`, [customerId]);
    return rows[0] ? normalize(rows[0]) : undefined;
  }

  /** Writes many states with one statement (multi-row upsert through unnest). */
  async upsertMany(tx: Queryable, states: readonly CustomerState[]): Promise<void> {
    if (states.length === 0) return;
    const unnestArgs = COLUMNS.map(([, , type], i) => `$${i + 1}::${type}[]`).join(', ');
    const columnList = COLUMNS.map(([, column]) => column).join(', ');
    const updates = COLUMNS.filter(([field]) => field !== 'customerId')
      .map(([, column]) => `${column} = EXCLUDED.${column}`)
      .join(', ');
    await tx.query(
      'customer_state.upsert_many',
      `INSERT INTO customer_state (${columnList})
       SELECT * FROM unnest(${unnestArgs})
       ON CONFLICT (customer_id) DO UPDATE SET ${updates}, updated_at = now()`,
      COLUMNS.map(([field]) => states.map((state) => state[field])),
    );
  }
}

function normalize(row: CustomerState): CustomerState {
  return {
    ...row,
    signedUpAt: isoOrNull(row.signedUpAt),
    profileUpdatedAt: isoOrNull(row.profileUpdatedAt),
    subscriptionUpdatedAt: isoOrNull(row.subscriptionUpdatedAt),
    lastEventAt: isoOrNull(row.lastEventAt) ?? '',
    monthlyCharges: row.monthlyCharges === null ? null : Number(row.monthlyCharges),
    totalCharges: Number(row.totalCharges),
    invoicesPaid: Number(row.invoicesPaid),
  };
}

function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}
