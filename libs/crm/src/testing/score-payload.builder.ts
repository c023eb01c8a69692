import type { ScorePayload, TaskPayload } from '../crm-payloads';

/** A valid score for the gateway specs: the level follows the score as the scorer's bands do. */
export function aScorePayload(customer: string, risk: number): ScorePayload {
  return {
    prediction_id: `P-${customer}-${risk}`,
    customer_id: customer,
    risk_score: risk,
    churn_probability: risk / 100,
    risk_level: risk >= 80 ? 'critical' : risk >= 60 ? 'high' : risk >= 40 ? 'medium' : 'low',
    recommended_action: 'Standard monitoring',
    scored_at: '2025-01-01T00:00:00Z',
    as_of: '2025-01-01T00:00:00Z',
    source: { topic: 'predictions', partition: 0, offset: '0' },
  };
}

/** A critical alert's retention task for the gateway specs (description `alert <id>`). */
export function aTaskPayload(customer: string, alertId = `A-${customer}`): TaskPayload {
  return {
    alert_id: alertId,
    customer_id: customer,
    prediction_id: `P-${alertId}`,
    level: 'critical',
    risk_score: 90,
    subject: `Urgent churn risk: retention outreach (${customer})`,
    priority: 'High',
    description: `alert ${alertId}`,
    due_date: '2025-01-02',
    due_at: '2025-01-02T00:00:00.000Z',
    source: { topic: 'alerts', partition: 0, offset: '0' },
  };
}
