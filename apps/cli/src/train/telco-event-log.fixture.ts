import fs from 'node:fs';
import path from 'node:path';
import type { CustomerEvent } from '@churn/contracts';
import type { ProcessedEventRow } from '@churn/ingest-data';
import { REPO_ROOT } from '@churn/local-stack';
import { customerHistory, parseTelcoCsv, type TelcoRow } from '@churn/telco-replay';

/** The first `count` customers of the Telco table, their ids prefixed so that a test's customers are its own. */
export function telcoCustomers(prefix: string, count: number): TelcoRow[] {
  return parseTelcoCsv(fs.readFileSync(path.join(REPO_ROOT, 'data', 'telco', 'train.csv')))
    .slice(0, count)
    .map((row) => ({ ...row, customerID: `${prefix}-${row.customerID}` }));
}

/** A Telco customer's replayed history as ingest logs it, its latest event at `latestAt`. */
export function loggedTelcoHistory(row: TelcoRow, latestAt: Date): ProcessedEventRow[] {
  return customerHistory(row, latestAt.toISOString()).map((event: CustomerEvent) => ({
    eventId: event.event_id,
    customerId: event.customer_id,
    eventType: event.event_type,
    occurredAt: event.occurred_at,
    payload: event.payload,
  }));
}
