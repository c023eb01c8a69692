import { addCalendarMonths, CustomerEventTypes, type CustomerEvent, type Outcome, type TelcoFeatures } from '@churn/contracts';
import { toCents, type TelcoRow } from './telco-row';

/**
 * The fixed "now" of a replay: every customer's latest event happens then. Fixed (not the wall clock)
 * so that a replay run twice produces the same events, byte for byte, and is idempotent end to end;
 * on the 15th, so that moving back whole months never clamps a day to a shorter month.
 */
export const DEFAULT_REFERENCE_TIME = '2025-06-15T12:00:00.000Z';

const MINUTE_MS = 60_000;

/** Splits `totalCents` into `parts` amounts that differ by at most a cent and add up exactly. */
export function splitCents(totalCents: number, parts: number): number[] {
  if (parts <= 0) return [];
  const base = Math.floor(totalCents / parts);
  const remainder = totalCents - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** Deterministic event ids: the same row always gives the same ids, so a second replay is all duplicates. */
export function replayEventId(customerId: string, what: string): string {
  return `telco:${customerId}:${what}`;
}

/**
 * A Telco customer as the event history that leads to its row: `customer.signed_up` one minute before
 * the subscription start S = T − tenure months, `subscription.changed` at S with the services and
 * MonthlyCharges, and one `invoice.paid` per month at T − (tenure − k) months (k = 1 … tenure), whose amounts add
 * up to TotalCharges to the cent; the last one is at T. A customer with tenure 0 has its subscription at
 * T and no invoice (a blank TotalCharges). Tenure counted from sign-up to the latest event is `tenure`.
 */
export function customerHistory(row: TelcoRow, referenceTime: string = DEFAULT_REFERENCE_TIME): CustomerEvent[] {
  const id = row.customerID;
  const tenure = Number(row.tenure);
  const start = addCalendarMonths(new Date(referenceTime), -tenure);
  const envelope = (what: string, at: Date) => ({
    event_id: replayEventId(id, what),
    customer_id: id,
    occurred_at: at.toISOString(),
    schema_version: 1 as const,
  });
  const events: CustomerEvent[] = [
    {
      ...envelope('signed-up', new Date(start.getTime() - MINUTE_MS)),
      event_type: CustomerEventTypes.signedUp,
      payload: { gender: row.gender, senior_citizen: row.SeniorCitizen === '1', partner: row.Partner === 'Yes', dependents: row.Dependents === 'Yes' },
    },
    {
      ...envelope('subscription', start),
      event_type: CustomerEventTypes.subscriptionChanged,
      payload: {
        contract: row.Contract,
        phone_service: row.PhoneService === 'Yes',
        multiple_lines: row.MultipleLines,
        internet_service: row.InternetService,
        online_security: row.OnlineSecurity,
        online_backup: row.OnlineBackup,
        device_protection: row.DeviceProtection,
        tech_support: row.TechSupport,
        streaming_tv: row.StreamingTV,
        streaming_movies: row.StreamingMovies,
        paperless_billing: row.PaperlessBilling === 'Yes',
        payment_method: row.PaymentMethod,
        monthly_charges: toCents(row.MonthlyCharges) / 100,
      },
    },
  ];
  const totalCents = toCents(row.TotalCharges);
  // A total without a billed month (not in the file, but possible in others) is paid at T.
  const invoices = tenure > 0 ? tenure : totalCents > 0 ? 1 : 0;
  const amounts = splitCents(totalCents, invoices);
  for (let k = 1; k <= invoices; k++) {
    // Counted back from T, so that the last invoice is at T even when T is a month's last day.
    const periodEnd = addCalendarMonths(new Date(referenceTime), k - invoices);
    const periodStart = tenure > 0 ? addCalendarMonths(new Date(referenceTime), k - 1 - invoices) : start;
    const seq = String(k).padStart(3, '0');
    events.push({
      ...envelope(`invoice-${seq}`, periodEnd),
      event_type: CustomerEventTypes.invoicePaid,
      payload: {
        invoice_id: `INV-${id}-${seq}`,
        amount: amounts[k - 1]! / 100,
        period_start: periodStart.toISOString().slice(0, 10),
        period_end: periodEnd.toISOString().slice(0, 10),
      },
    });
  }
  return events;
}

/** When a churned customer's cancellation takes effect, and when the feed's label is observed: a day after the reference time. */
function labelTime(referenceTime: string): string {
  return new Date(Date.parse(referenceTime) + 24 * 60 * MINUTE_MS).toISOString();
}

/**
 * A `Churn = Yes` customer's cancellation: `subscription.cancelled` a day after the reference time (its
 * last invoice), when the feed observes the label — so ingest derives the same churned outcome the
 * feed states (`customerOutcome`). Undefined for a customer who stays. Deterministic id: a second
 * replay is a duplicate.
 */
export function customerCancellation(row: TelcoRow, referenceTime: string = DEFAULT_REFERENCE_TIME): CustomerEvent | undefined {
  if (row.Churn !== 'Yes') return undefined;
  return {
    event_id: replayEventId(row.customerID, 'cancelled'),
    event_type: CustomerEventTypes.subscriptionCancelled,
    customer_id: row.customerID,
    occurred_at: labelTime(referenceTime),
    schema_version: 1,
    payload: { reason: 'telco_churn_label' },
  };
}

/** The customer's churn label as an outcome observed a day after the reference time. */
export function customerOutcome(row: TelcoRow, referenceTime: string = DEFAULT_REFERENCE_TIME): Outcome | undefined {
  if (row.Churn === undefined) return undefined;
  return { customer_id: row.customerID, churned: row.Churn === 'Yes', observed_at: labelTime(referenceTime) };
}

/** The feature vector the row describes (blank TotalCharges read as 0): what ingest must arrive at. */
export function rowFeatures(row: TelcoRow): TelcoFeatures {
  return {
    gender: row.gender,
    SeniorCitizen: row.SeniorCitizen === '1' ? 1 : 0,
    Partner: row.Partner,
    Dependents: row.Dependents,
    tenure: Number(row.tenure),
    PhoneService: row.PhoneService,
    MultipleLines: row.MultipleLines,
    InternetService: row.InternetService,
    OnlineSecurity: row.OnlineSecurity,
    OnlineBackup: row.OnlineBackup,
    DeviceProtection: row.DeviceProtection,
    TechSupport: row.TechSupport,
    StreamingTV: row.StreamingTV,
    StreamingMovies: row.StreamingMovies,
    Contract: row.Contract,
    PaperlessBilling: row.PaperlessBilling,
    PaymentMethod: row.PaymentMethod,
    MonthlyCharges: toCents(row.MonthlyCharges) / 100,
    TotalCharges: toCents(row.TotalCharges) / 100,
  };
}
