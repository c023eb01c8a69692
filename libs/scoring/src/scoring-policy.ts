import { DEFAULT_RISK_THRESHOLDS, riskLevelOf, riskScoreOf, type RiskLevel, type RiskThresholds, type TopFactor } from '@churn/contracts';
import { assignArm, type ExperimentArm, type ExperimentConfig } from './experiment';
import type { FeatureRow } from './feature-validation';
import type { OnnxChurnModel, ScoredRow } from './onnx-churn-model';
import type { Business } from '@churn/feature-spec';
import { RetentionStrategy, rulesForBusiness, type RetentionRules } from './retention-strategy';

export interface Assessment {
  readonly churn_probability: number;
  readonly risk_score: number;
  readonly risk_level: RiskLevel;
  readonly recommended_action: string;
  readonly intervention_cost: number;
  readonly revenue_at_risk: number;
  readonly top_factors: TopFactor[];
  readonly experiment: { name: string; arm: ExperimentArm } | null;
}

export interface ScoringPolicyOptions {
  readonly thresholds?: RiskThresholds;
  readonly strategy?: RetentionStrategy;
  readonly experiment?: ExperimentConfig | null;
  readonly topFactorCount?: number;
  /** The feature holding a customer's monthly revenue (the spec's business.monthly_revenue); revenue at risk is 0 without one. */
  readonly revenueFeature?: string;
}

/** Turns a model output into the business answer: risk score and level, action, cost, revenue at risk, arm. */
export class ScoringPolicy {
  readonly thresholds: RiskThresholds;
  readonly strategy: RetentionStrategy;
  readonly experiment: ExperimentConfig | null;
  private readonly topFactorCount: number;
  private readonly revenueFeature: string | undefined;

  constructor(options: ScoringPolicyOptions = {}) {
    this.thresholds = options.thresholds ?? DEFAULT_RISK_THRESHOLDS;
    this.strategy = options.strategy ?? new RetentionStrategy();
    this.experiment = options.experiment ?? null;
    this.topFactorCount = options.topFactorCount ?? 3;
    this.revenueFeature = options.revenueFeature;
  }

  assess(model: OnnxChurnModel, row: FeatureRow, scored: ScoredRow, customerId: string): Assessment {
    const features = model.validator.toRecord(row);
    const riskScore = riskScoreOf(scored.probability);
    const level = riskLevelOf(riskScore, this.thresholds);
    const topFactors = scored.contributions ? topFactorsOf(model.featureNames, row, scored.contributions, this.topFactorCount) : [];
    const decision = this.strategy.decide(level, topFactors, features);
    const revenue = this.revenueFeature === undefined ? undefined : features[this.revenueFeature];
    const monthly = typeof revenue === 'number' ? revenue : 0;
    return {
      churn_probability: scored.probability,
      risk_score: riskScore,
      risk_level: level,
      recommended_action: decision.action,
      intervention_cost: decision.cost,
      revenue_at_risk: this.strategy.revenueAtRisk(monthly),
      top_factors: topFactors,
      experiment: this.experiment ? { name: this.experiment.name, arm: assignArm(this.experiment, customerId) } : null,
    };
  }
}

/**
 * The policy of a business as its feature spec's business section describes it: the playbook's offers
 * (unless a rules file replaces them) and revenue at risk from its revenue feature.
 */
export function businessScoringPolicy(
  business: Business | undefined,
  options: Omit<ScoringPolicyOptions, 'strategy' | 'revenueFeature'> & { readonly rules?: RetentionRules } = {},
): ScoringPolicy {
  const { rules, ...rest } = options;
  return new ScoringPolicy({
    ...rest,
    strategy: new RetentionStrategy(rulesForBusiness(business, rules)),
    ...(business?.monthly_revenue ? { revenueFeature: business.monthly_revenue } : {}),
  });
}

/** The attributes with the largest |contribution|, signed, with the customer's value (null where it is missing: NaN in the row, imputed in the graph). */
export function topFactorsOf(names: readonly string[], row: FeatureRow, contributions: Float64Array, count: number): TopFactor[] {
  return names
    .map((feature, j) => {
      const value = row[j]!;
      return { feature, value: typeof value === 'number' && Number.isNaN(value) ? null : value, contribution: contributions[j]! };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature))
    .slice(0, count);
}
