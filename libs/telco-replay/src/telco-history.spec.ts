import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wholeCalendarMonths, customerEventSchema } from '@churn/contracts';
import { customerCancellation, customerHistory, customerOutcome, DEFAULT_REFERENCE_TIME, rowFeatures, splitCents } from './telco-history';
import { parseTelcoCsv, toCents, type TelcoRow } from './telco-row';

const HEADER =
  'customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');
const ROW = '4827-DPADN,Female,0,Yes,Yes,72,Yes,Yes,DSL,Yes,No,Yes,Yes,Yes,Yes,Two year,Yes,Bank transfer (automatic),83.3,6042.7,No';
const NEW = '1371-DWPAZ,Female,0,Yes,Yes,0,No,No phone service,DSL,Yes,Yes,Yes,Yes,Yes,No,Two year,No,Credit card (automatic),56.05, ,No';

const invoiceCents = (row: TelcoRow) =>
  customerHistory(row)
    .filter((e) => e.event_type === 'invoice.paid')
    .reduce((sum, e) => sum + Math.round((e.payload as { amount: number }).amount * 100), 0);

describe('Telco rows as event histories', () => {
  it('splits a total into amounts that add up to the cent', () => {
    assert.deepEqual(splitCents(1001, 3), [334, 334, 333]);
    assert.equal(
      splitCents(604270, 72).reduce((a, b) => a + b, 0),
      604270,
    );
    assert.deepEqual(splitCents(0, 0), []);
    assert.equal(toCents('6042.7'), 604270);
    assert.equal(toCents('19.05'), 1905);
    assert.equal(toCents(' '), 0);
  });

  it('builds valid events whose invoices sum to TotalCharges and whose tenure is the row tenure', () => {
    const [row] = parseTelcoCsv(csv(ROW));
    const events = customerHistory(row!);
    for (const event of events) assert.ok(customerEventSchema.safeParse(event).success, event.event_id);
    assert.equal(events.length, 2 + 72);
    assert.equal(invoiceCents(row!), 604270);
    const signUp = events[0]!;
    const latest = events[events.length - 1]!;
    assert.equal(latest.occurred_at, DEFAULT_REFERENCE_TIME);
    assert.equal(wholeCalendarMonths(new Date(signUp.occurred_at), new Date(latest.occurred_at)), 72);
    assert.deepEqual(rowFeatures(row!).TotalCharges, 6042.7);
  });

  it('reads a blank TotalCharges as a new customer without invoices', () => {
    const [row] = parseTelcoCsv(csv(NEW));
    const events = customerHistory(row!);
    assert.deepEqual(
      events.map((e) => e.event_type),
      ['customer.signed_up', 'subscription.changed'],
    );
    assert.equal(rowFeatures(row!).TotalCharges, 0);
    assert.equal(rowFeatures(row!).tenure, 0);
  });

  it('gives the same ids and bytes on every run', () => {
    const [row] = parseTelcoCsv(csv(ROW));
    assert.equal(JSON.stringify(customerHistory(row!)), JSON.stringify(customerHistory(row!)));
    assert.equal(new Set(customerHistory(row!).map((e) => e.event_id)).size, 74);
  });

  it('keeps tenure exact for every tenure, also from a month-end reference time', () => {
    const [template] = parseTelcoCsv(csv(ROW));
    for (const reference of [DEFAULT_REFERENCE_TIME, '2025-03-31T23:59:00.000Z', '2024-02-29T00:00:00.000Z']) {
      for (let tenure = 0; tenure <= 80; tenure++) {
        const events = customerHistory({ ...template!, tenure: String(tenure) }, reference);
        const latest = events.reduce((max, e) => Math.max(max, Date.parse(e.occurred_at)), 0);
        assert.equal(latest, Date.parse(reference), `latest event at T (tenure ${tenure}, T ${reference})`);
        assert.equal(wholeCalendarMonths(new Date(events[0]!.occurred_at), new Date(latest)), tenure, `tenure ${tenure} from ${reference}`);
      }
    }
  });

  it('publishes the churn label as an outcome after the reference time', () => {
    const [row] = parseTelcoCsv(csv(ROW.replace(/No$/, 'Yes')));
    const outcome = customerOutcome(row!);
    assert.equal(outcome?.churned, true);
    assert.ok(Date.parse(outcome!.observed_at) > Date.parse(DEFAULT_REFERENCE_TIME));
  });

  it('cancels a churned customer after its last invoice, when the feed observes its label; a customer who stays has no cancellation', () => {
    const [churned] = parseTelcoCsv(csv(ROW.replace(/No$/, 'Yes')));
    const cancellation = customerCancellation(churned!);
    const latest = Math.max(...customerHistory(churned!).map((e) => Date.parse(e.occurred_at)));
    assert.equal(cancellation?.event_type, 'subscription.cancelled');
    assert.ok(Date.parse(cancellation!.occurred_at) > latest);
    assert.equal(cancellation!.occurred_at, customerOutcome(churned!)!.observed_at);
    assert.deepEqual(customerCancellation(churned!), cancellation, 'deterministic');
    const [stays] = parseTelcoCsv(csv(ROW));
    assert.equal(customerCancellation(stays!), undefined);
  });

  it('refuses a bad row naming its line and field', () => {
    assert.throws(() => parseTelcoCsv(csv(ROW, ROW.replace('83.3', 'abc').replace('4827', '9999'))), /line 3: MonthlyCharges/);
    assert.throws(() => parseTelcoCsv(csv(ROW, ROW)), /appears twice/);
  });
});
