import { z } from 'zod';
import { riskLevelSchema, type AlertRulesInEffect, type RiskLevel } from '@churn/contracts';

const levels = z.array(riskLevelSchema).refine((l) => new Set(l).size === l.length, { message: 'must not repeat a level' });

/**
 * The rules file (YAML or JSON). Every key is optional; what is left out takes the default below.
 * Unknown keys are refused so that a typo does not silently fall back to a default.
 */
export const alertRulesSchema = z
  .object({
    /** Risk levels that raise an alert on their own. */
    levels: levels.default(['critical', 'high']),
    /** A rise of the risk score by at least `min_points` within `within_days` (event time) raises an alert at the prediction's level. */
    score_jump: z
      .object({
        enabled: z.boolean().default(true),
        min_points: z.number().int().min(1).max(100).default(20),
        within_days: z.number().min(0.001).max(365).default(7),
      })
      .strict()
      .prefault({}),
    /** No second alert for a customer within `days` unless the level is higher than every alert of that window. */
    cooldown: z
      .object({ days: z.number().min(0).max(365).default(7) })
      .strict()
      .prefault({}),
    suppress: z
      .object({
        /** Experiment control-arm customers get no alert (monitoring needs untreated controls). */
        control_arm: z.boolean().default(true),
        /** A customer with an acknowledged, unresolved alert (someone is working on it) gets no alert unless the level rises above it. */
        open_intervention: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Which alert levels go where. */
    routing: z
      .object({
        slack: levels.default(['critical', 'high']),
        email_immediate: levels.default(['critical']),
        email_daily_digest: levels.default(['high']),
      })
      .strict()
      .prefault({})
      .refine((r) => !r.email_immediate.some((l) => r.email_daily_digest.includes(l)), {
        message: 'a level cannot be both in email_immediate and email_daily_digest',
      }),
    /** Time-to-acknowledge targets in hours (operations guide: critical < 24 h, high < 48 h, medium < 7 days). */
    sla_hours: z
      .object({
        critical: z.number().positive().default(24),
        high: z.number().positive().default(48),
        medium: z.number().positive().default(168),
        low: z.number().positive().default(336),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type AlertRules = z.output<typeof alertRulesSchema>;

// `GET /v1/alerts/rules` answers the rules in the contract's shape: a key added to the file on either
// side without the other does not compile.
const sameShapeAsTheContract: [AlertRules] extends [AlertRulesInEffect] ? ([AlertRulesInEffect] extends [AlertRules] ? true : never) : never = true;
void sameShapeAsTheContract;

export const DEFAULT_ALERT_RULES: AlertRules = alertRulesSchema.parse({});

export function slaTargetSeconds(rules: AlertRules): Record<RiskLevel, number> {
  const h = rules.sla_hours;
  return { critical: h.critical * 3600, high: h.high * 3600, medium: h.medium * 3600, low: h.low * 3600 };
}
