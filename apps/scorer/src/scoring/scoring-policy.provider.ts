import { businessScoringPolicy, type ScoringPolicy } from '@churn/scoring';
import { retentionRulesOf, type ScorerConfig } from '../config';

/** The business rules of scoring, built once from the validated config and the active spec's business section. */
export function scoringPolicyOf(config: ScorerConfig): ScoringPolicy {
  return businessScoringPolicy(config.FEATURE_SPEC_FILE.spec.business, {
    thresholds: { critical: config.RISK_LEVEL_CRITICAL, high: config.RISK_LEVEL_HIGH, medium: config.RISK_LEVEL_MEDIUM },
    rules: retentionRulesOf(config),
    experiment: config.EXPERIMENT_NAME ? { name: config.EXPERIMENT_NAME, control_fraction: config.EXPERIMENT_CONTROL_FRACTION } : null,
  });
}
