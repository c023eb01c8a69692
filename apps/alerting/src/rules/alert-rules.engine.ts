import { createHash } from 'node:crypto';
import { riskLevelRank, type Prediction, type RiskLevel } from '@churn/contracts';
import type { AlertRules } from './alert-rules.schema';

const DAY_MS = 86_400_000;

/** What the engine needs to know about a customer beyond the prediction itself. */
export interface CustomerAlertContext {
  /** Alerts created within the cool-down window (processing time). */
  readonly recentAlerts: readonly { level: RiskLevel; createdAt: Date }[];
  /** Acknowledged, unresolved alerts: someone is working on the customer. */
  readonly openInterventions: readonly { level: RiskLevel }[];
  /** Earlier scores (event time) for the score-jump rule. */
  readonly scores: readonly { predictionId: string; riskScore: number; asOf: Date }[];
}

export const EMPTY_CONTEXT: CustomerAlertContext = { recentAlerts: [], openInterventions: [], scores: [] };

/** `churned`: set by the intake, not the rules — the customer churned at or after the prediction's as_of. */
export type SuppressionReason = 'below_threshold' | 'control_arm' | 'cooldown' | 'open_intervention' | 'churned';

export interface AlertDecisionRaise {
  readonly alert: true;
  readonly alertId: string;
  readonly level: RiskLevel;
  readonly reason: 'level' | 'score_jump';
  /** Points the score rose within the jump window, when that rule fired. */
  readonly jump?: { points: number; fromScore: number; withinDays: number };
  readonly message: string;
}

export interface AlertDecisionSuppress {
  readonly alert: false;
  readonly reason: SuppressionReason;
}

export type AlertDecision = AlertDecisionRaise | AlertDecisionSuppress;

/** The alert id is derived from the prediction, so a redelivered prediction names the same alert. */
export function alertIdOf(predictionId: string): string {
  return `alrt-${createHash('sha256').update(predictionId).digest('hex').slice(0, 24)}`;
}

/**
 * The alert rules as a pure function of a prediction, what is known about its customer, the rules
 * and the time. No I/O: the service loads the context, the engine decides.
 */
export class AlertRulesEngine {
  constructor(private readonly rules: AlertRules) {}

  evaluate(prediction: Prediction, context: CustomerAlertContext, now: Date): AlertDecision {
    const level = prediction.risk_level;
    const rules = this.rules;
    const byLevel = rules.levels.includes(level);
    const jump = rules.score_jump.enabled ? this.jumpOf(prediction, context) : undefined;
    if (!byLevel && !jump) return { alert: false, reason: 'below_threshold' };
    if (rules.suppress.control_arm && prediction.experiment?.arm === 'control') return { alert: false, reason: 'control_arm' };
    const rank = riskLevelRank(level);
    if (rules.suppress.open_intervention && context.openInterventions.some((open) => riskLevelRank(open.level) >= rank)) {
      return { alert: false, reason: 'open_intervention' };
    }
    const cooldownStart = now.getTime() - rules.cooldown.days * DAY_MS;
    if (context.recentAlerts.some((a) => a.createdAt.getTime() >= cooldownStart && riskLevelRank(a.level) >= rank)) {
      return { alert: false, reason: 'cooldown' };
    }
    const reason = byLevel ? 'level' : 'score_jump';
    return {
      alert: true,
      alertId: alertIdOf(prediction.prediction_id),
      level,
      reason,
      ...(jump ? { jump } : {}),
      message: messageOf(prediction, jump),
    };
  }

  /**
   * Decides a batch in order, so that several predictions of one customer in the same batch see each
   * other: the first alert starts the cool-down of the rest, and every score joins the history.
   */
  evaluateBatch(predictions: readonly Prediction[], contexts: ReadonlyMap<string, CustomerAlertContext>, now: Date): AlertDecision[] {
    const state = new Map<
      string,
      {
        recentAlerts: CustomerAlertContext['recentAlerts'][number][];
        openInterventions: CustomerAlertContext['openInterventions'];
        scores: CustomerAlertContext['scores'][number][];
      }
    >();
    return predictions.map((prediction) => {
      let ctx = state.get(prediction.customer_id);
      if (!ctx) {
        const loaded = contexts.get(prediction.customer_id) ?? EMPTY_CONTEXT;
        ctx = { recentAlerts: [...loaded.recentAlerts], openInterventions: loaded.openInterventions, scores: [...loaded.scores] };
        state.set(prediction.customer_id, ctx);
      }
      const decision = this.evaluate(prediction, ctx, now);
      if (decision.alert) ctx.recentAlerts.push({ level: decision.level, createdAt: now });
      ctx.scores.push({ predictionId: prediction.prediction_id, riskScore: prediction.risk_score, asOf: new Date(prediction.as_of) });
      return decision;
    });
  }

  private jumpOf(prediction: Prediction, context: CustomerAlertContext): AlertDecisionRaise['jump'] | undefined {
    const { min_points: minPoints, within_days: withinDays } = this.rules.score_jump;
    const asOf = Date.parse(prediction.as_of);
    const windowStart = asOf - withinDays * DAY_MS;
    let lowest: number | undefined;
    for (const score of context.scores) {
      if (score.predictionId === prediction.prediction_id) continue;
      const t = score.asOf.getTime();
      if (t < windowStart || t > asOf) continue;
      if (lowest === undefined || score.riskScore < lowest) lowest = score.riskScore;
    }
    if (lowest === undefined) return undefined;
    const points = prediction.risk_score - lowest;
    return points >= minPoints ? { points, fromScore: lowest, withinDays } : undefined;
  }
}

function messageOf(prediction: Prediction, jump: AlertDecisionRaise['jump'] | undefined): string {
  const level = prediction.risk_level[0]!.toUpperCase() + prediction.risk_level.slice(1);
  const rise = jump ? `, up ${jump.points} points from ${jump.fromScore} within ${jump.withinDays} d` : '';
  const action = prediction.recommended_action ? ` Recommended: ${prediction.recommended_action}.` : '';
  return `${level} churn risk for customer ${prediction.customer_id}: score ${prediction.risk_score}/100${rise}.${action} Revenue at risk: ${formatMoney(prediction.revenue_at_risk)}.`;
}

export function formatMoney(amount: number): string {
  return `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
}
