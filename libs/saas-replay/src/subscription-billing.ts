import { addCalendarMonths } from '@churn/contracts';
import type { EventLog } from './event-log';
import type { Prng } from './prng';
import { monthlyPrice } from './saas-customer';
import { SaasEventTypes } from './saas-event';
import {
  MAX_PAYMENT_ATTEMPTS,
  PAYMENT_FAILURE_REASONS,
  PAYMENT_RETRY_DAYS,
  RETRY_FAILURE,
  SWITCH_TO_ANNUAL,
  type BillingCycle,
  type Plan,
} from './saas-parameters';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Invoices are due this long after the subscription's time of day (a change made earlier that day is billed). */
export const INVOICE_OFFSET_MS = 5 * MINUTE;

/** The subscription as it stands; billing reads it and may switch it to annual. */
export interface Subscription {
  plan: Plan;
  seats: number;
  cycle: BillingCycle;
}

/** What billing needs of the customer it bills. */
export interface BillingCustomer {
  readonly customerId: string;
  readonly subscribedAtMs: number;
  readonly subscription: Subscription;
  /** Whether an event at this time still happens (before the cancellation takes effect and the period's end). */
  alive(atMs: number): boolean;
  /** The probability that a first payment attempt fails now. */
  failureProbability(): number;
  /** The last attempt on an invoice failed: dunning is over. */
  dunningExhausted(atMs: number): void;
}

interface PendingPayment {
  readonly invoiceId: string;
  readonly amount: number;
  readonly periodStart: string;
  readonly periodEnd: string;
  attempts: number;
  nextAttemptMs: number;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * A subscription's invoices and payment attempts: an invoice in advance at the start of each period
 * (one or twelve calendar months, counted from the subscription's start so that a start on the 31st
 * does not drift to the 28th), retries three days apart, dunning after MAX_PAYMENT_ATTEMPTS failures.
 */
export class SubscriptionBilling {
  /** Months from the subscription's start to the next invoice. */
  private nextInvoiceMonth = 0;
  private nextInvoiceAt?: { readonly month: number; readonly ms: number };
  private invoiceSeq = 0;
  private pending?: PendingPayment;
  private readonly failureTimes: number[] = [];

  constructor(
    private readonly customer: BillingCustomer,
    private readonly log: EventLog,
    private readonly rng: Prng,
  ) {}

  /** When the next invoice is due: the end of the period already paid for. */
  nextInvoiceMs(): number {
    if (this.nextInvoiceAt?.month !== this.nextInvoiceMonth) {
      const ms = addCalendarMonths(new Date(this.customer.subscribedAtMs + INVOICE_OFFSET_MS), this.nextInvoiceMonth).getTime();
      this.nextInvoiceAt = { month: this.nextInvoiceMonth, ms };
    }
    return this.nextInvoiceAt.ms;
  }

  /** Payment failures after `sinceMs`. */
  failuresSince(sinceMs: number): number {
    return this.failureTimes.filter((at) => at > sinceMs).length;
  }

  /** Issues the invoices due before `untilMs` and makes the payment attempts due by then. */
  bill(untilMs: number): void {
    const { customer } = this;
    const subscription = customer.subscription;
    for (let due = this.nextInvoiceMs(); due < untilMs && customer.alive(due); due = this.nextInvoiceMs()) {
      if (subscription.cycle === 'monthly' && this.nextInvoiceMonth > 0 && this.rng.chance(SWITCH_TO_ANNUAL)) {
        subscription.cycle = 'annual';
        this.log.add(SaasEventTypes.subscriptionChanged, due - MINUTE, 'subscription', { billing_cycle: subscription.cycle, monthly_price: this.price() });
      }
      const months = subscription.cycle === 'annual' ? 12 : 1;
      this.invoiceSeq++;
      this.nextInvoiceMonth += months;
      this.pending = {
        invoiceId: `INV-${customer.customerId}-${String(this.invoiceSeq).padStart(4, '0')}`,
        amount: cents(this.price() * months),
        periodStart: new Date(due).toISOString().slice(0, 10),
        periodEnd: new Date(this.nextInvoiceMs()).toISOString().slice(0, 10),
        attempts: 0,
        nextAttemptMs: due,
      };
    }
    const pending = this.pending;
    while (pending && this.pending === pending && pending.nextAttemptMs < untilMs && customer.alive(pending.nextAttemptMs)) this.attempt(pending);
  }

  private price(): number {
    const { plan, seats, cycle } = this.customer.subscription;
    return monthlyPrice(plan, seats, cycle);
  }

  private attempt(pending: PendingPayment): void {
    const { rng } = this;
    const at = pending.nextAttemptMs;
    const first = this.customer.failureProbability();
    const failure = pending.attempts > 0 ? Math.max(RETRY_FAILURE, first) : first;
    pending.attempts++;
    if (!rng.chance(Math.min(0.9, failure))) {
      this.log.add(SaasEventTypes.invoicePaid, at, 'invoice-paid', {
        invoice_id: pending.invoiceId,
        amount: pending.amount,
        period_start: pending.periodStart,
        period_end: pending.periodEnd,
      });
      this.pending = undefined;
      return;
    }
    this.failureTimes.push(at);
    this.log.add(SaasEventTypes.paymentFailed, at, 'payment-failed', {
      invoice_id: pending.invoiceId,
      amount: pending.amount,
      reason: rng.weighted(PAYMENT_FAILURE_REASONS),
    });
    if (pending.attempts >= MAX_PAYMENT_ATTEMPTS) {
      this.pending = undefined;
      this.customer.dunningExhausted(at);
      return;
    }
    pending.nextAttemptMs = at + PAYMENT_RETRY_DAYS * DAY;
  }
}
