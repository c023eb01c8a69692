import { parseFeatureSpec, type EvaluatedEvent } from '@churn/feature-spec';

/**
 * Hand-computed point-in-time rows for the tests of the training set built from events: a spec with
 * attributes (one optional, a boolean spelled in words), derived features, a windowed count and an
 * aggregate the model does not read; customers whose histories go on after their cut-off.
 */
export const POINT_IN_TIME_SPEC_YAML = `
version: 1
name: point-in-time-fixture
customer_id: { column: account }
label: { column: churned, positive: "Yes" }
attributes:
  - { name: plan, type: categorical, categories: [basic, pro], set_by: { event_type: subscription.changed, field: plan } }
  - { name: seats, column: Seats, type: numeric, optional: true, set_by: { event_type: subscription.changed, field: seats } }
  - { name: annual, type: boolean, true_value: "Yes", false_value: "No", set_by: { event_type: subscription.changed, field: annual } }
derived:
  - { name: tenure, kind: months_since_first, event_type: customer.signed_up }
  - { name: invoiced, kind: lifetime_sum, event_type: invoice.paid, field: amount, decimals: 2 }
aggregates:
  - { name: failures_30d, kind: count, event_type: payment.failed, window_days: 30 }
  - { name: logins_30d, kind: count, event_type: user.logged_in, window_days: 30, model_input: false }
`;

export const POINT_IN_TIME_SPEC = parseFeatureSpec(POINT_IN_TIME_SPEC_YAML);

/** The table's header: id, label, then the model inputs under their columns (logins_30d is no model input). */
export const POINT_IN_TIME_HEADER = ['account', 'churned', 'plan', 'Seats', 'annual', 'tenure', 'invoiced', 'failures_30d'];

export const LABEL_DELAY_DAYS = 30;

export interface FixtureCustomer {
  readonly id: string;
  readonly events: readonly EvaluatedEvent[];
  /** Every outcome recorded; the latest labels the row. */
  readonly outcomes: readonly { churned: boolean; observedAt: string }[];
  /** The row at the cut-off (the id cell is the customer's id), or undefined: incomplete then. */
  readonly expected?: readonly string[];
}

function event(customer: string, n: number, type: string, at: string, payload: Record<string, unknown>): EvaluatedEvent {
  return { event_id: `${customer}-${n}`, event_type: type, occurred_at: at, payload };
}

/**
 * A: outcome 2025-09-01 → cut-off 2025-08-02. Known then: basic, 5 seats, monthly; signed up 2025-03-01
 * (5 whole months); invoices 100.5 + 99.255 = 199.755 → 199.76 (half up); one failed payment in the 30
 * days (07-10; 06-20 is older). After the cut-off (must not leak): pro with 50 seats, an invoice of
 * 1000, a failed payment, a login.
 */
const A = 'A';
const customerA: FixtureCustomer = {
  id: A,
  events: [
    event(A, 1, 'customer.signed_up', '2025-03-01T00:00:00.000Z', {}),
    event(A, 2, 'subscription.changed', '2025-03-01T00:00:00.000Z', { plan: 'basic', seats: 5, annual: false }),
    event(A, 3, 'invoice.paid', '2025-04-01T00:00:00.000Z', { invoice_id: 'A-1', amount: 100.5 }),
    event(A, 4, 'payment.failed', '2025-06-20T00:00:00.000Z', { invoice_id: 'A-x', amount: 99.255, reason: 'card_declined' }),
    event(A, 5, 'invoice.paid', '2025-07-01T00:00:00.000Z', { invoice_id: 'A-2', amount: 99.255 }),
    event(A, 6, 'payment.failed', '2025-07-10T00:00:00.000Z', { invoice_id: 'A-y', amount: 99.255, reason: 'card_declined' }),
    event(A, 7, 'user.logged_in', '2025-07-20T00:00:00.000Z', {}),
    event(A, 8, 'subscription.changed', '2025-08-10T00:00:00.000Z', { plan: 'pro', seats: 50 }),
    event(A, 9, 'invoice.paid', '2025-08-15T00:00:00.000Z', { invoice_id: 'A-3', amount: 1000 }),
    event(A, 10, 'payment.failed', '2025-08-20T00:00:00.000Z', { invoice_id: 'A-z', amount: 1000, reason: 'card_declined' }),
  ],
  outcomes: [{ churned: true, observedAt: '2025-09-01T00:00:00.000Z' }],
  expected: [A, 'Yes', 'basic', '5', 'No', '5', '199.76', '1'],
};

/**
 * B: churned once (2025-06-01), then stayed: its latest outcome (2025-10-01, not churned) labels it, cut-off
 * 2025-09-01. Known then: pro, annual, 12 seats (set 08-20, after A's cut-off but before its own); signed
 * up 2024-12-15 12:00 (8 whole months); no invoice (0); one failed payment in the 30 days. After: basic.
 */
const B = 'B';
const customerB: FixtureCustomer = {
  id: B,
  events: [
    event(B, 1, 'customer.signed_up', '2024-12-15T12:00:00.000Z', {}),
    event(B, 2, 'subscription.changed', '2024-12-15T12:00:00.000Z', { plan: 'pro', annual: true }),
    event(B, 3, 'subscription.changed', '2025-08-20T00:00:00.000Z', { seats: 12 }),
    event(B, 4, 'payment.failed', '2025-08-25T00:00:00.000Z', { invoice_id: 'B-x', amount: 40, reason: 'insufficient_funds' }),
    event(B, 5, 'subscription.changed', '2025-09-10T00:00:00.000Z', { plan: 'basic' }),
  ],
  outcomes: [
    { churned: true, observedAt: '2025-06-01T00:00:00.000Z' },
    { churned: false, observedAt: '2025-10-01T00:00:00.000Z' },
  ],
  expected: [B, 'No', 'pro', '12', 'Yes', '8', '0', '1'],
};

/** C: its plan is only set after the cut-off (2025-08-02): incomplete then, left out. */
const C = 'C';
const customerC: FixtureCustomer = {
  id: C,
  events: [
    event(C, 1, 'customer.signed_up', '2025-07-01T00:00:00.000Z', {}),
    event(C, 2, 'subscription.changed', '2025-08-10T00:00:00.000Z', { plan: 'pro', annual: false }),
  ],
  outcomes: [{ churned: true, observedAt: '2025-09-01T00:00:00.000Z' }],
};

/** D: an outcome and no event at all: left out. */
const customerD: FixtureCustomer = { id: 'D', events: [], outcomes: [{ churned: false, observedAt: '2025-09-01T00:00:00.000Z' }] };

export const FIXTURE_CUSTOMERS: readonly FixtureCustomer[] = [customerA, customerB, customerC, customerD];
