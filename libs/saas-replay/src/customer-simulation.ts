import { wholeCalendarMonths } from '@churn/contracts';
import { EventLog } from './event-log';
import type { Prng } from './prng';
import { monthlyPrice, type SaasProfile } from './saas-customer';
import { SaasEventTypes, type SaasEvent } from './saas-event';
import { INVOICE_OFFSET_MS, SubscriptionBilling, type BillingCustomer, type Subscription } from './subscription-billing';
import {
  ACTIVE_USERS,
  API_CALLS,
  CANCEL_REASONS,
  DECLINE_SEAT_CUT,
  DECLINE_WEEKS,
  DIP,
  ENGAGEMENT_NOISE,
  ENGAGEMENT_PULL,
  EXPANSION,
  LOGINS,
  ONBOARDING_GAP,
  ONSET,
  PAYMENT_FAILURE,
  PHASE_EFFECTS,
  PLANS,
  SEVERITIES,
  STARTER_PAYMENT_FACTOR,
  SUDDEN_CHURN_HAZARD,
  TICKET_CATEGORIES,
  TICKETS,
  WEEKEND_LOGIN_WEIGHT,
} from './saas-parameters';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
const LOOKBACK = 30 * DAY;

/** How a churner left: a decline (it decided to leave), without warning, or after failed payments (dunning). */
export type ChurnPath = 'decline' | 'sudden' | 'payment';

/** One simulated customer: its profile, its events, and how and when it left (when it did before the end). */
export interface SimulatedCustomer {
  readonly profile: SaasProfile;
  readonly events: readonly SaasEvent[];
  /** When the cancellation takes effect, when that is at or before the end of the period. */
  readonly cancelledAtMs?: number;
  readonly churnPath?: ChurnPath;
  /** When the decline that led (or is leading) to the cancellation started. */
  readonly declineStartedAtMs?: number;
}

type Phase =
  | { readonly kind: 'normal' }
  | { readonly kind: 'dip'; readonly untilWeek: number }
  | { readonly kind: 'decline'; readonly startWeek: number; readonly weeks: number; readonly seatCutWeek?: number };

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
// 1970-01-01 was a Thursday: day 4 of the week counted from Sunday, as getUTCDay counts.
const isWeekend = (ms: number) => [0, 6].includes((Math.floor(ms / DAY) + 4) % 7);

/**
 * Simulates one customer week by week from its sign-up to `endMs` (or its cancellation), emitting its
 * events. The process is stated in docs/datasets/saas.md; every number is in saas-parameters.ts.
 */
export function simulateCustomer(profile: SaasProfile, rng: Prng, endMs: number): SimulatedCustomer {
  return new CustomerSimulation(profile, rng, endMs).run();
}

class CustomerSimulation implements BillingCustomer {
  readonly customerId: string;
  readonly subscribedAtMs: number;
  readonly subscription: Subscription;
  private readonly log: EventLog;
  private readonly billing: SubscriptionBilling;
  private engagement: number;
  private phase: Phase = { kind: 'normal' };
  private ticketSeq = 0;
  private readonly severeTickets: number[] = [];
  private cancelAtMs?: number;
  private cancelReason = '';
  private churnPath?: ChurnPath;
  private declineStartedAtMs?: number;

  constructor(
    private readonly profile: SaasProfile,
    private readonly rng: Prng,
    private readonly endMs: number,
  ) {
    this.customerId = profile.customerId;
    this.log = new EventLog(profile.customerId);
    this.subscribedAtMs = profile.signedUpAtMs + MINUTE;
    this.subscription = { plan: profile.plan, seats: profile.seats, cycle: profile.billingCycle };
    this.billing = new SubscriptionBilling(this, this.log, rng);
    this.engagement = profile.fit - ONBOARDING_GAP;
  }

  run(): SimulatedCustomer {
    const { profile } = this;
    this.log.add(SaasEventTypes.signedUp, profile.signedUpAtMs, 'signed-up', { region: profile.region, acquisition_channel: profile.acquisitionChannel });
    const { plan, seats, cycle } = this.subscription;
    this.log.add(SaasEventTypes.subscriptionChanged, this.subscribedAtMs, 'subscription', { plan, seats, billing_cycle: cycle, monthly_price: this.price() });
    for (let week = 0; ; week++) {
      const weekStart = this.subscribedAtMs + week * WEEK;
      if (weekStart >= this.stopMs()) break;
      this.advanceWeek(week, weekStart);
      for (let day = 0; day < 7; day++) {
        const dayStart = weekStart + day * DAY;
        if (dayStart >= this.stopMs()) break;
        this.live(dayStart);
      }
      this.reportUsage(weekStart);
    }
    const cancelled = this.cancelAtMs !== undefined && this.cancelAtMs <= this.endMs ? this.cancelAtMs : undefined;
    if (cancelled !== undefined) this.log.add(SaasEventTypes.subscriptionCancelled, cancelled, 'cancelled', { reason: this.cancelReason });
    return {
      profile,
      events: this.log.sorted(),
      ...(cancelled !== undefined ? { cancelledAtMs: cancelled, churnPath: this.churnPath! } : {}),
      ...(this.declineStartedAtMs !== undefined ? { declineStartedAtMs: this.declineStartedAtMs } : {}),
    };
  }

  /** Events happen strictly before the cancellation takes effect, and no later than the period's end. */
  private stopMs(): number {
    return Math.min(this.endMs + 1, this.cancelAtMs ?? Infinity);
  }

  alive(atMs: number): boolean {
    return atMs < this.stopMs();
  }

  failureProbability(): number {
    const { plan, cycle } = this.subscription;
    return PAYMENT_FAILURE[cycle] * (plan === 'starter' ? STARTER_PAYMENT_FACTOR : 1) * this.profile.paymentFragility * this.effects().payments;
  }

  dunningExhausted(atMs: number): void {
    if (this.cancelAtMs === undefined || this.cancelAtMs > atMs + DAY) this.cancel(atMs + DAY, 'payment_failed', 'payment');
  }

  private price(): number {
    const { plan, seats, cycle } = this.subscription;
    return monthlyPrice(plan, seats, cycle);
  }

  private effects() {
    return PHASE_EFFECTS[this.phase.kind];
  }

  /** The week's decisions: phase changes, churn hazards, growth, and the engagement step. */
  private advanceWeek(week: number, weekStart: number): void {
    const { phase, rng } = this;
    if (phase.kind === 'dip' && week >= phase.untilWeek) this.phase = { kind: 'normal' };
    if (phase.kind === 'decline') this.continueDecline(phase, week, weekStart);
    else if (this.cancelAtMs === undefined) this.considerLeaving(week, weekStart);
    if (this.phase.kind !== 'decline' && this.cancelAtMs === undefined) this.considerGrowing(weekStart);
    const current = this.phase;
    const shift = current.kind === 'decline' ? PHASE_EFFECTS.decline.target * Math.min(1, (week - current.startWeek) / current.weeks) : this.effects().target;
    this.engagement += ENGAGEMENT_PULL * (this.profile.fit + shift - this.engagement) + ENGAGEMENT_NOISE * rng.normal();
  }

  private continueDecline(phase: Extract<Phase, { kind: 'decline' }>, week: number, weekStart: number): void {
    const { subscription } = this;
    if (week === phase.seatCutWeek && subscription.seats > 1) {
      subscription.seats = Math.max(1, Math.round(subscription.seats * this.rng.uniform(DECLINE_SEAT_CUT.min, DECLINE_SEAT_CUT.max)));
      this.emitChange(weekStart, { seats: subscription.seats, monthly_price: this.price() });
    }
    if (week >= phase.startWeek + phase.weeks && this.cancelAtMs === undefined) {
      // The cancellation takes effect at the end of the period already paid for: the next invoice date.
      this.cancel(this.billing.nextInvoiceMs(), this.rng.weighted(CANCEL_REASONS), 'decline');
    }
  }

  private considerLeaving(week: number, weekStart: number): void {
    const { rng } = this;
    if (rng.chance(SUDDEN_CHURN_HAZARD)) {
      this.cancel(weekStart + rng.uniform(0, WEEK), 'business_closed', 'sudden');
      return;
    }
    const early = wholeCalendarMonths(new Date(this.profile.signedUpAtMs), new Date(weekStart)) < ONSET.earlyMonths ? ONSET.early : 0;
    const hazard =
      ONSET.base *
      Math.exp(
        ONSET.plan[this.subscription.plan] +
          (this.subscription.cycle === 'annual' ? ONSET.annual : 0) +
          early +
          ONSET.engagement * this.engagement +
          ONSET.failures * this.billing.failuresSince(weekStart - LOOKBACK) +
          ONSET.severe * this.severeTickets.filter((at) => at > weekStart - LOOKBACK).length,
      );
    if (rng.chance(1 - Math.exp(-hazard))) {
      const weeks = rng.int(DECLINE_WEEKS.min, DECLINE_WEEKS.max);
      const seatCut = rng.chance(DECLINE_SEAT_CUT.probability);
      this.phase = { kind: 'decline', startWeek: week, weeks, ...(seatCut ? { seatCutWeek: week + Math.floor(weeks / 2) } : {}) };
      this.declineStartedAtMs = weekStart;
    } else if (this.phase.kind === 'normal' && rng.chance(DIP.hazard)) {
      this.phase = { kind: 'dip', untilWeek: week + rng.int(DIP.minWeeks, DIP.maxWeeks) };
    }
  }

  private considerGrowing(weekStart: number): void {
    const { rng, subscription } = this;
    if (rng.chance(EXPANSION.seats * Math.exp(EXPANSION.seatsEngagement * this.engagement))) {
      subscription.seats += Math.max(1, Math.round(subscription.seats * rng.uniform(EXPANSION.seatGrowthMin, EXPANSION.seatGrowthMax)));
      this.emitChange(weekStart, { seats: subscription.seats, monthly_price: this.price() });
    }
    const next = PLANS[PLANS.indexOf(subscription.plan) + 1];
    if (next && rng.chance(EXPANSION.planUpgrade)) {
      subscription.plan = next;
      this.emitChange(weekStart, { plan: subscription.plan, monthly_price: this.price() });
    }
  }

  private emitChange(weekStart: number, payload: Record<string, string | number>): void {
    // Within the first minutes of the week: before any invoice of that day (due INVOICE_OFFSET_MS after
    // the subscription's time of day), so that every invoice bills the price in force when it is issued.
    const at = weekStart + this.rng.uniform(0, INVOICE_OFFSET_MS);
    if (this.alive(at)) this.log.add(SaasEventTypes.subscriptionChanged, at, 'subscription', payload);
  }

  private cancel(atMs: number, reason: string, path: ChurnPath): void {
    // In whole seconds, as the cancellation event's occurred_at will say.
    this.cancelAtMs = Math.floor(atMs / 1000) * 1000;
    this.cancelReason = reason;
    this.churnPath = path;
  }

  /** One day: logins, tickets, invoices and payment attempts. */
  private live(dayStart: number): void {
    const { rng } = this;
    const { seats } = this.subscription;
    const loginsPerWeek = LOGINS.base * seats ** LOGINS.seatExponent * Math.exp(LOGINS.engagement * this.engagement);
    const dayWeight = isWeekend(dayStart) ? WEEKEND_LOGIN_WEIGHT : 1;
    const logins = rng.poisson((loginsPerWeek * dayWeight) / (5 + 2 * WEEKEND_LOGIN_WEIGHT));
    for (let i = 0; i < logins; i++) {
      const at = dayStart + rng.uniform(0, DAY);
      const user = `user-${rng.int(1, seats)}`;
      if (this.alive(at)) this.log.add(SaasEventTypes.userLoggedIn, at, 'login', { user_id: user });
    }
    const ticketsPerWeek = TICKETS.base * seats ** TICKETS.seatExponent * Math.exp(TICKETS.engagement * this.engagement) * this.effects().tickets;
    const tickets = rng.poisson(ticketsPerWeek / 7);
    for (let i = 0; i < tickets; i++) this.openTicket(dayStart + rng.uniform(0, DAY));
    this.billing.bill(dayStart + DAY);
  }

  private openTicket(at: number): void {
    const { rng } = this;
    const weights = this.effects().severity;
    const severity = rng.weighted(SEVERITIES.map((s, i) => [s, weights[i]!] as const));
    const category = rng.weighted(TICKET_CATEGORIES);
    if (!this.alive(at)) return;
    if (severity === 'high' || severity === 'critical') this.severeTickets.push(at);
    this.ticketSeq++;
    this.log.add(SaasEventTypes.supportTicketOpened, at, 'ticket', {
      ticket_id: `TCK-${this.profile.customerId}-${String(this.ticketSeq).padStart(4, '0')}`,
      category,
      severity,
    });
  }

  /** The week's usage, reported when the week is over: API calls and the users active in it. */
  private reportUsage(weekStart: number): void {
    const { rng } = this;
    const { seats } = this.subscription;
    const at = weekStart + WEEK;
    const apiCalls = Math.round(
      API_CALLS.base * seats ** API_CALLS.seatExponent * Math.exp(API_CALLS.engagement * this.engagement + API_CALLS.noise * rng.normal()),
    );
    const activeUsers = Math.min(
      seats,
      Math.max(0, Math.round(seats * logistic(ACTIVE_USERS.engagement * this.engagement + ACTIVE_USERS.offset + ACTIVE_USERS.noise * rng.normal()))),
    );
    if (!this.alive(at)) return;
    const period = { period_start: new Date(weekStart).toISOString(), period_end: new Date(at).toISOString() };
    this.log.add(SaasEventTypes.usageReported, at, 'usage-api-calls', { metric: 'api_calls', quantity: apiCalls, ...period });
    this.log.add(SaasEventTypes.usageReported, at, 'usage-active-users', { metric: 'active_users', quantity: activeUsers, ...period });
  }
}
