import { z } from 'zod';
import { RISK_LEVELS, riskLevelRank, type RiskLevel, type TopFactor } from '@churn/contracts';
import type { Business } from '@churn/feature-spec';

const levelActionSchema = z.object({ action: z.string().min(1), cost: z.number().finite().nonnegative() });

/**
 * A factor rule adds a targeted offer to the level's programme when one of the customer's top
 * factors (pushing risk up) is the named attribute, and the customer's attributes match `when`.
 */
const factorRuleSchema = z.object({
  /** Attribute that must be among the customer's top factors with a positive contribution. */
  factor: z.string().min(1),
  /** Attribute values the customer must have (all of them), e.g. { "InternetService": "Fiber optic", "TechSupport": "No" }. */
  when: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** Lowest risk level the offer is made at. */
  min_level: z.enum(RISK_LEVELS).default('medium'),
  offer: z.string().min(1),
  /** Added to the level's cost. */
  extra_cost: z.number().finite().nonnegative().default(0),
});

export const retentionRulesSchema = z.object({
  levels: z.object({ critical: levelActionSchema, high: levelActionSchema, medium: levelActionSchema, low: levelActionSchema }),
  factor_rules: z.array(factorRuleSchema).default([]),
  /** Months of monthly revenue counted as revenue at risk. */
  revenue_at_risk_months: z.number().positive().default(12),
});

export type RetentionRules = z.output<typeof retentionRulesSchema>;

/**
 * The operations guide's programme by risk level. Targeted offers name a business's own features, so
 * they come from its feature spec's playbook (`rulesForBusiness`), not from here.
 */
export const DEFAULT_RETENTION_RULES: RetentionRules = {
  levels: {
    critical: { action: 'Urgent outreach by a senior retention specialist within 24 h', cost: 150 },
    high: { action: 'VIP retention programme', cost: 75 },
    medium: { action: 'Enhanced engagement campaign', cost: 25 },
    low: { action: 'Monitor', cost: 0 },
  },
  factor_rules: [],
  revenue_at_risk_months: 12,
};

/** The rules a deployment scores with: a rules file when one is given, else the levels above and the spec's playbook. */
export function rulesForBusiness(business: Business | undefined, file?: RetentionRules): RetentionRules {
  return file ?? { ...DEFAULT_RETENTION_RULES, factor_rules: business?.playbook ?? [] };
}

export interface RetentionDecision {
  readonly action: string;
  readonly cost: number;
  readonly offers: readonly string[];
}

/** Recommended action and intervention cost from the risk level and the customer's top factors. */
export class RetentionStrategy {
  constructor(readonly rules: RetentionRules = DEFAULT_RETENTION_RULES) {}

  decide(level: RiskLevel, topFactors: readonly TopFactor[], features: Readonly<Record<string, string | number>>): RetentionDecision {
    const base = this.rules.levels[level];
    const offers: string[] = [];
    let cost = base.cost;
    const drivers = new Set(topFactors.filter((f) => f.contribution > 0).map((f) => f.feature));
    for (const rule of this.rules.factor_rules) {
      if (riskLevelRank(level) < riskLevelRank(rule.min_level) || !drivers.has(rule.factor)) continue;
      if (!Object.entries(rule.when).every(([name, value]) => features[name] === value)) continue;
      if (offers.includes(rule.offer)) continue;
      offers.push(rule.offer);
      cost += rule.extra_cost;
    }
    return { action: offers.length > 0 ? `${base.action}: ${offers.join(', ')}` : base.action, cost, offers };
  }

  revenueAtRisk(monthlyRevenue: number): number {
    return Math.round(monthlyRevenue * this.rules.revenue_at_risk_months * 100) / 100;
  }
}
