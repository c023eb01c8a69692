import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '@churn/contracts';
import { aPrediction } from '@churn/testing';
import { AlertRulesEngine, alertIdOf, EMPTY_CONTEXT, type CustomerAlertContext } from './alert-rules.engine';
import { alertRulesSchema, DEFAULT_ALERT_RULES } from './alert-rules.schema';
import { parseRulesFile } from './alert-rules.service';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;

/** A critical prediction (85) for C-1, scored a second after its time, an hour before NOW. */
function aCriticalPrediction(overrides: Partial<Prediction> = {}): Prediction {
  return aPrediction('C-1', 'v1', 0.85, Date.parse('2026-03-10T11:00:00Z'), {
    recommended_action: 'Urgent intervention',
    intervention_cost: 150,
    revenue_at_risk: 720,
    top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.12 }],
    source_event_id: 'e-1',
    as_of: '2026-03-10T11:00:00Z',
    scored_at: '2026-03-10T11:00:01Z',
    ...overrides,
  });
}

function context(overrides: Partial<CustomerAlertContext> = {}): CustomerAlertContext {
  return { ...EMPTY_CONTEXT, ...overrides };
}

describe('AlertRulesEngine', () => {
  const sut = new AlertRulesEngine(DEFAULT_ALERT_RULES);

  it('alerts on critical and high by default, not on medium or low', () => {
    assert.equal(sut.evaluate(aCriticalPrediction({ risk_level: 'critical' }), EMPTY_CONTEXT, NOW).alert, true);
    assert.equal(sut.evaluate(aCriticalPrediction({ risk_level: 'high', risk_score: 65 }), EMPTY_CONTEXT, NOW).alert, true);
    assert.deepEqual(sut.evaluate(aCriticalPrediction({ risk_level: 'medium', risk_score: 45 }), EMPTY_CONTEXT, NOW), {
      alert: false,
      reason: 'below_threshold',
    });
    assert.deepEqual(sut.evaluate(aCriticalPrediction({ risk_level: 'low', risk_score: 10 }), EMPTY_CONTEXT, NOW), { alert: false, reason: 'below_threshold' });
  });

  it('derives the alert id from the prediction id and writes a message with score, action and revenue', () => {
    const prediction = aCriticalPrediction();
    const decision = sut.evaluate(prediction, EMPTY_CONTEXT, NOW);
    assert.ok(decision.alert);
    assert.equal(decision.alertId, alertIdOf(prediction.prediction_id));
    assert.match(decision.alertId, /^alrt-[0-9a-f]{24}$/);
    assert.equal(decision.message, 'Critical churn risk for customer C-1: score 85/100. Recommended: Urgent intervention. Revenue at risk: $720.');
  });

  it('suppresses a second alert of the same or a lower level within the cool-down, not a rise', () => {
    const recent = context({ recentAlerts: [{ level: 'high', createdAt: new Date(NOW.getTime() - 3 * DAY) }] });
    assert.deepEqual(sut.evaluate(aCriticalPrediction({ risk_level: 'high', risk_score: 70 }), recent, NOW), { alert: false, reason: 'cooldown' });
    assert.equal(sut.evaluate(aCriticalPrediction({ risk_level: 'critical' }), recent, NOW).alert, true);
    const old = context({ recentAlerts: [{ level: 'high', createdAt: new Date(NOW.getTime() - 8 * DAY) }] });
    assert.equal(sut.evaluate(aCriticalPrediction({ risk_level: 'high', risk_score: 70 }), old, NOW).alert, true);
    const critical = context({ recentAlerts: [{ level: 'critical', createdAt: new Date(NOW.getTime() - DAY) }] });
    assert.deepEqual(sut.evaluate(aCriticalPrediction({ risk_level: 'high', risk_score: 70 }), critical, NOW), { alert: false, reason: 'cooldown' });
  });

  it('alerts on a jump of the score within the window, at the prediction’s level', () => {
    const scores = [{ predictionId: 'old', riskScore: 20, asOf: new Date('2026-03-05T00:00:00Z') }];
    const decision = sut.evaluate(aCriticalPrediction({ risk_level: 'medium', risk_score: 45 }), context({ scores }), NOW);
    assert.ok(decision.alert);
    assert.equal(decision.reason, 'score_jump');
    assert.equal(decision.level, 'medium');
    assert.deepEqual(decision.jump, { points: 25, fromScore: 20, withinDays: 7 });
    // Outside the window (event time), or a rise below the threshold: nothing.
    const stale = [{ predictionId: 'old', riskScore: 20, asOf: new Date('2026-02-20T00:00:00Z') }];
    assert.equal(sut.evaluate(aCriticalPrediction({ risk_level: 'medium', risk_score: 45 }), context({ scores: stale }), NOW).alert, false);
    const small = [{ predictionId: 'old', riskScore: 30, asOf: new Date('2026-03-05T00:00:00Z') }];
    assert.equal(sut.evaluate(aCriticalPrediction({ risk_level: 'medium', risk_score: 45 }), context({ scores: small }), NOW).alert, false);
  });

  it('gives control-arm customers no alert', () => {
    const decision = sut.evaluate(aCriticalPrediction({ experiment: { name: 'retention-2026', arm: 'control' } }), EMPTY_CONTEXT, NOW);
    assert.deepEqual(decision, { alert: false, reason: 'control_arm' });
    assert.equal(sut.evaluate(aCriticalPrediction({ experiment: { name: 'retention-2026', arm: 'treatment' } }), EMPTY_CONTEXT, NOW).alert, true);
  });

  it('suppresses customers with an open intervention unless the level rises above it', () => {
    const open = context({ openInterventions: [{ level: 'high' }] });
    assert.deepEqual(sut.evaluate(aCriticalPrediction({ risk_level: 'high', risk_score: 70 }), open, NOW), { alert: false, reason: 'open_intervention' });
    assert.equal(sut.evaluate(aCriticalPrediction({ risk_level: 'critical' }), open, NOW).alert, true);
  });

  it('sees earlier predictions of the same batch: one alert per customer for a burst', () => {
    const burst = Array.from({ length: 5 }, (_, i) => aCriticalPrediction({ prediction_id: `p${i}`, risk_score: 90 + i }));
    const decisions = sut.evaluateBatch(burst, new Map(), NOW);
    assert.deepEqual(
      decisions.map((d) => (d.alert ? 'alert' : d.reason)),
      ['alert', 'cooldown', 'cooldown', 'cooldown', 'cooldown'],
    );
  });

  it('follows the rules it is given', () => {
    const rules = alertRulesSchema.parse({ levels: ['critical'], cooldown: { days: 0 }, suppress: { control_arm: false }, score_jump: { enabled: false } });
    const engine = new AlertRulesEngine(rules);
    assert.equal(engine.evaluate(aCriticalPrediction({ risk_level: 'high', risk_score: 70 }), EMPTY_CONTEXT, NOW).alert, false);
    assert.equal(engine.evaluate(aCriticalPrediction({ experiment: { name: 'x', arm: 'control' } }), EMPTY_CONTEXT, NOW).alert, true);
  });
});

describe('rules file', () => {
  it('takes YAML with defaults for what is left out', () => {
    const rules = parseRulesFile('rules.yaml', 'levels: [critical]\nscore_jump:\n  min_points: 15\nsla_hours:\n  critical: 12\n');
    assert.deepEqual(rules.levels, ['critical']);
    assert.equal(rules.score_jump.min_points, 15);
    assert.equal(rules.score_jump.within_days, 7);
    assert.equal(rules.cooldown.days, 7);
    assert.equal(rules.sla_hours.critical, 12);
    assert.equal(rules.sla_hours.high, 48);
    assert.deepEqual(rules.routing.email_daily_digest, ['high']);
  });

  it('takes JSON, and an empty file means the defaults', () => {
    assert.deepEqual(parseRulesFile('r.json', '{"cooldown": {"days": 3}}').cooldown, { days: 3 });
    assert.deepEqual(parseRulesFile('r.yaml', ''), DEFAULT_ALERT_RULES);
  });

  it('refuses unknown keys, bad levels and conflicting routing, naming the field', () => {
    assert.throws(() => parseRulesFile('r.yaml', 'cooldwn: {days: 3}'), /Unrecognized key.*cooldwn|cooldwn/);
    assert.throws(() => parseRulesFile('r.yaml', 'levels: [urgent]'), /levels\.0/);
    assert.throws(() => parseRulesFile('r.yaml', 'routing: {email_immediate: [high], email_daily_digest: [high]}'), /routing: a level cannot be both/);
    assert.throws(() => parseRulesFile('r.yaml', 'levels: [critical'), /not YAML\/JSON/);
  });
});
