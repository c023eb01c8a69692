/**
 * Every number of the synthetic business's generative process, in one place so that
 * docs/datasets/saas.md can state them and a change shows in one diff. Rates are per week unless named
 * otherwise; "e" is the customer's latent weekly engagement (about 0 for an average customer).
 */

export const PLANS = ['starter', 'team', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const REGIONS = ['north_america', 'europe', 'asia_pacific', 'latin_america'] as const;
export type Region = (typeof REGIONS)[number];

export const BILLING_CYCLES = ['monthly', 'annual'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];

export const PLAN_MIX: readonly (readonly [Plan, number])[] = [
  ['starter', 0.4],
  ['team', 0.32],
  ['business', 0.2],
  ['enterprise', 0.08],
];

/** List price per seat and month on monthly billing; annual billing takes ANNUAL_DISCOUNT off. */
export const SEAT_PRICE: Readonly<Record<Plan, number>> = { starter: 12, team: 20, business: 35, enterprise: 55 };
export const ANNUAL_DISCOUNT = 0.2;

/** Seats at sign-up: log-normal around the median (σ = SEAT_SIGMA), clamped to the plan's range. */
export const SEATS: Readonly<Record<Plan, { readonly median: number; readonly min: number; readonly max: number }>> = {
  starter: { median: 2, min: 1, max: 5 },
  team: { median: 8, min: 3, max: 25 },
  business: { median: 30, min: 10, max: 150 },
  enterprise: { median: 150, min: 50, max: 2000 },
};
export const SEAT_SIGMA = 0.5;

/** Probability of billing annually at sign-up. */
export const ANNUAL_SHARE: Readonly<Record<Plan, number>> = { starter: 0.15, team: 0.3, business: 0.55, enterprise: 0.85 };

export const REGION_MIX: readonly (readonly [Region, number])[] = [
  ['north_america', 0.42],
  ['europe', 0.33],
  ['asia_pacific', 0.17],
  ['latin_america', 0.08],
];

/** The common acquisition channels and their shares; the rest (LONG_TAIL_SHARE) is the long tail below. */
export const COMMON_CHANNELS: readonly (readonly [string, number])[] = [
  ['organic_search', 0.26],
  ['paid_search', 0.17],
  ['referral', 0.13],
  ['outbound_sales', 0.1],
  ['content', 0.07],
  ['free_trial', 0.05],
];
export const LONG_TAIL_SHARE = 0.22;
/** Long-tail channels: `partner_<name>` and `event_<name>`, the k-th of each with weight 1/k (Zipf). */
export const PARTNERS = [
  'northwind',
  'contoso',
  'fabrikam',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'vandelay',
  'wayne',
  'stark',
  'tyrell',
  'soylent',
  'acme',
  'wonka',
  'cyberdyne',
  'oscorp',
  'gringotts',
  'monarch',
  'aperture',
  'massive',
] as const;
export const EVENTS = [
  'saastr',
  'web_summit',
  'collision',
  'dreamforce',
  'reinvent',
  'kubecon',
  'slush',
  'vivatech',
  'techcrunch',
  'sxsw',
  'gdc',
  'ces',
  'mwc',
  'ifa',
  'strata',
  'pycon',
  'jsconf',
  'devoxx',
  'qcon',
  'fosdem',
] as const;

/**
 * Latent fit f = FIT_BY_PLAN + FIT_BY_CHANNEL + FIT_SIGMA·N(0,1): how well the product suits the customer.
 * Engagement follows it week by week; the model never sees it, only its traces in logins and usage.
 */
export const FIT_BY_PLAN: Readonly<Record<Plan, number>> = { starter: -0.2, team: 0, business: 0.15, enterprise: 0.3 };
export const FIT_BY_CHANNEL: Readonly<Record<string, number>> = { referral: 0.3, outbound_sales: -0.2, paid_search: -0.1, free_trial: -0.15 };
export const FIT_SIGMA = 0.7;

/** Engagement: e ← e + ENGAGEMENT_PULL·(target − e) + ENGAGEMENT_NOISE·N(0,1), starting at f − ONBOARDING_GAP. */
export const ENGAGEMENT_PULL = 0.3;
export const ENGAGEMENT_NOISE = 0.2;
export const ONBOARDING_GAP = 0.5;

/** Behaviour drawn from engagement. */
export const LOGINS = { base: 1.5, seatExponent: 0.3, engagement: 0.9 } as const; // per week: base · seats^x · exp(k·e)
export const WEEKEND_LOGIN_WEIGHT = 0.25; // a weekend day's share of logins against a weekday's
export const API_CALLS = { base: 350, seatExponent: 0.9, engagement: 0.8, noise: 0.25 } as const; // per week
export const ACTIVE_USERS = { engagement: 1.2, offset: 0.5, noise: 0.2 } as const; // share of seats: logistic(k·e + offset + noise·N(0,1))
export const TICKETS = { base: 0.06, seatExponent: 0.25, engagement: -0.4 } as const; // per week
export const TICKET_CATEGORIES: readonly (readonly [string, number])[] = [
  ['how_to', 0.35],
  ['bug', 0.25],
  ['billing', 0.15],
  ['performance', 0.13],
  ['integration', 0.12],
];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Per payment attempt, before the customer's fragility multiplier exp(FRAGILITY_SIGMA·N(0,1)). */
export const PAYMENT_FAILURE: Readonly<Record<BillingCycle, number>> = { monthly: 0.04, annual: 0.015 };
export const STARTER_PAYMENT_FACTOR = 1.5;
export const FRAGILITY_SIGMA = 0.6;
/** A retry fails with this probability at least: the card that failed is usually not fixed in three days. */
export const RETRY_FAILURE = 0.45;
export const PAYMENT_RETRY_DAYS = 3;
/** Dunning: after this many failed attempts on one invoice the subscription is cancelled (involuntary churn). */
export const MAX_PAYMENT_ATTEMPTS = 4;
export const PAYMENT_FAILURE_REASONS: readonly (readonly [string, number])[] = [
  ['card_declined', 0.5],
  ['insufficient_funds', 0.3],
  ['expired_card', 0.2],
];

/**
 * The phases a customer goes through. `normal`; a `dip` (a rough patch that passes); a `decline`
 * (the customer has decided to leave: engagement slides, tickets and payment failures rise) that ends
 * in a cancellation. Each multiplies or shifts the behaviour of `normal`.
 */
export const PHASE_EFFECTS = {
  normal: { target: 0, tickets: 1, payments: 1, severity: [0.45, 0.35, 0.15, 0.05] },
  dip: { target: -0.8, tickets: 1.5, payments: 1, severity: [0.35, 0.35, 0.22, 0.08] },
  // Decline: the target falls linearly from f to f + target over the decline's weeks, then stays there.
  decline: { target: -1.8, tickets: 2.5, payments: 3, severity: [0.2, 0.3, 0.35, 0.15] },
} as const;
export const DIP = { hazard: 0.012, minWeeks: 2, maxWeeks: 6 } as const;
export const DECLINE_WEEKS = { min: 3, max: 10 } as const;
/** Chance, once per decline, of cutting seats to DECLINE_SEAT_CUT of them half-way through. */
export const DECLINE_SEAT_CUT = { probability: 0.35, min: 0.5, max: 0.8 } as const;

/**
 * Weekly hazard of a decline starting (deciding to leave), for a customer in `normal` or `dip`:
 *   h = ONSET.base · exp(plan + annual + early + engagement·e + failures·F30 + severe·S30)
 * with F30 the payment failures and S30 the high/critical tickets of the last 30 days.
 */
export const ONSET = {
  base: 0.0075,
  plan: { starter: 0.5, team: 0.2, business: 0, enterprise: -0.5 } as Readonly<Record<Plan, number>>,
  annual: -0.7,
  /** In the first EARLY_MONTHS months after sign-up. */
  early: 0.4,
  earlyMonths: 3,
  engagement: -0.9,
  failures: 0.7,
  severe: 0.6,
} as const;

/** Weekly hazard of leaving without warning (company closed, bought, budget cut): no decline first. */
export const SUDDEN_CHURN_HAZARD = 0.0006;

export const CANCEL_REASONS: readonly (readonly [string, number])[] = [
  ['low_usage', 0.3],
  ['too_expensive', 0.25],
  ['switched_competitor', 0.25],
  ['missing_features', 0.2],
];

/** Growth, for customers not in a decline: weekly probabilities. */
export const EXPANSION = { seats: 0.006, seatsEngagement: 0.5, seatGrowthMin: 0.1, seatGrowthMax: 0.4, planUpgrade: 0.0015 } as const;
/** Chance, at each monthly invoice, of switching to annual billing. */
export const SWITCH_TO_ANNUAL = 0.02;
