import { factorValueText, type Alert, type Prediction, type RiskLevel, type TopFactor } from '@churn/contracts';

/** What an outbox row of kind `score` carries: the CRM-neutral score, mapped to fields by each gateway. */
export interface ScorePayload {
  readonly prediction_id: string;
  readonly customer_id: string;
  readonly risk_score: number;
  readonly churn_probability: number;
  readonly risk_level: RiskLevel;
  readonly recommended_action: string;
  readonly scored_at: string;
  readonly as_of: string;
  readonly source: SourceCoordinates;
}

/** What an outbox row of kind `task` carries. */
export interface TaskPayload {
  readonly alert_id: string;
  readonly customer_id: string;
  readonly prediction_id: string;
  readonly level: RiskLevel;
  readonly risk_score: number;
  readonly subject: string;
  readonly priority: 'High' | 'Normal';
  /** ISO date (yyyy-mm-dd) the task is due, from the level's SLA. */
  readonly due_date: string;
  /** Exact due time, for CRMs that take a timestamp (HubSpot hs_timestamp). */
  readonly due_at: string;
  readonly description: string;
  readonly source: SourceCoordinates;
}

/** Where the message behind an outbox row came from: kept for the dead letter. */
export interface SourceCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export function scorePayloadOf(prediction: Prediction, source: SourceCoordinates): ScorePayload {
  return {
    prediction_id: prediction.prediction_id,
    customer_id: prediction.customer_id,
    risk_score: prediction.risk_score,
    churn_probability: prediction.churn_probability,
    risk_level: prediction.risk_level,
    recommended_action: prediction.recommended_action,
    scored_at: prediction.scored_at,
    as_of: prediction.as_of,
    source,
  };
}

export interface TaskContext {
  readonly recommendedAction?: string;
  readonly topFactors?: readonly TopFactor[];
}

export interface TaskDueHours {
  readonly critical: number;
  readonly high: number;
}

/** Retention task for a high or critical alert: due within the level's SLA after the alert. */
export function taskPayloadOf(alert: Alert, context: TaskContext, due: TaskDueHours, source: SourceCoordinates): TaskPayload {
  const hours = alert.level === 'critical' ? due.critical : due.high;
  const dueAt = new Date(Date.parse(alert.created_at) + hours * 3_600_000);
  const factors = (context.topFactors ?? []).map(
    (f) => `- ${f.feature} = ${factorValueText(f.value)} (${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(3)})`,
  );
  const description = [
    `Churn risk ${alert.level.toUpperCase()} (score ${alert.risk_score}/100) for customer ${alert.customer_id}.`,
    alert.message,
    context.recommendedAction ? `Recommended action: ${context.recommendedAction}` : undefined,
    factors.length > 0 ? `Top factors:\n${factors.join('\n')}` : undefined,
    `Alert ${alert.alert_id}, prediction ${alert.prediction_id}. Due within ${hours} h.`,
  ]
    .filter((line): line is string => Boolean(line))
    .join('\n\n');
  return {
    alert_id: alert.alert_id,
    customer_id: alert.customer_id,
    prediction_id: alert.prediction_id,
    level: alert.level,
    risk_score: alert.risk_score,
    subject: `${alert.level === 'critical' ? 'Urgent' : 'High'} churn risk: retention outreach (${alert.customer_id})`,
    priority: 'High',
    due_date: dueAt.toISOString().slice(0, 10),
    due_at: dueAt.toISOString(),
    description,
    source,
  };
}

export const TASK_LEVELS: ReadonlySet<RiskLevel> = new Set(['high', 'critical']);

/** How a churned customer's open retention tasks are treated (CRM_CHURNED_TASKS). */
export type ChurnedTasksMode = 'close' | 'annotate' | 'leave';

/** What an outbox row of kind `churn` carries: the customer churned; its open tasks get a note (and are closed). */
export interface ChurnPayload {
  readonly customer_id: string;
  /** When the churn was observed (the outcome's `observed_at`). */
  readonly churned_at: string;
  readonly mode: Exclude<ChurnedTasksMode, 'leave'>;
  readonly source: SourceCoordinates;
}

/** The note a churned customer's open tasks receive; a task that already carries it is left alone (idempotent). */
export function churnNoteOf(payload: Pick<ChurnPayload, 'churned_at' | 'mode'>): string {
  const day = payload.churned_at.slice(0, 10);
  return `${CHURN_NOTE_PREFIX} ${day}. ${payload.mode === 'close' ? 'Closed by Churn Radar: no retention outreach is needed any more.' : 'No retention outreach is needed any more.'}`;
}

/** Marks the note in a task's description: a task closed with it was closed by the platform, not done by a person. */
export const CHURN_NOTE_PREFIX = 'Churn Radar: customer churned on';
