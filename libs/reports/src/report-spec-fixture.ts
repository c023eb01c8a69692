import type { Report } from './report';

/**
 * A small report whose every figure can be checked by hand (used by the specs): 10 customers this
 * period (1 critical, 2 high, 3 medium, 4 low) against 8 before (0, 2, 2, 4).
 */
export function sampleReport(): Report {
  const level = (l: 'critical' | 'high' | 'medium' | 'low', customers: number, previous: number, revenue: number) => ({
    level: l,
    customers,
    previous_customers: previous,
    share: customers / 10,
    previous_share: previous / 8,
    revenue_at_risk: revenue,
  });
  return {
    title: 'Churn Radar retention report',
    generated_at: '2026-03-08T06:00:00.000Z',
    period: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z', days: 7 },
    previous_period: { from: '2026-02-22T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', days: 7 },
    risk: {
      customers: 10,
      previous_customers: 8,
      average_risk_score: 47.5,
      previous_average_risk_score: 41,
      revenue_at_risk: 12000,
      levels: [level('critical', 1, 0, 1200), level('high', 2, 2, 2400), level('medium', 3, 2, 3600), level('low', 4, 4, 4800)],
    },
    top_customers: {
      limit: 2,
      customers: [
        {
          rank: 1,
          customer_id: 'C-0001',
          risk_score: 91,
          risk_level: 'critical',
          churn_probability: 0.912,
          revenue_at_risk: 1200,
          recommended_action: 'call within 24 h and offer a 12-month contract',
          intervention_cost: 150,
          drivers: [
            { feature: 'contract', value: 'Month-to-month', contribution: 0.21 },
            { feature: 'tenure_months', value: 2, contribution: 0.15 },
          ],
          scored_at: '2026-03-05T10:00:00.000Z',
        },
        {
          rank: 2,
          customer_id: 'C-0002',
          risk_score: 72,
          risk_level: 'high',
          churn_probability: 0.72,
          revenue_at_risk: 1200,
          recommended_action: 'e-mail a loyalty discount',
          intervention_cost: 50,
          drivers: [{ feature: 'payment_method', value: 'Electronic check', contribution: 0.12 }],
          scored_at: '2026-03-04T10:00:00.000Z',
        },
      ],
    },
    alert_sla: {
      targets: "alerting's rules in effect (defaults)",
      levels: [
        { level: 'critical', target_hours: 24, raised: 1, acknowledged: 1, median_hours_to_acknowledge: 30, p90_hours_to_acknowledge: 30, acknowledged_late: 1, pending: 0, pending_past_target: 0, resolved_unacknowledged: 0 },
        { level: 'high', target_hours: 48, raised: 2, acknowledged: 1, median_hours_to_acknowledge: 5, p90_hours_to_acknowledge: 5, acknowledged_late: 0, pending: 1, pending_past_target: 1, resolved_unacknowledged: 0 },
        { level: 'medium', target_hours: 168, raised: 0, acknowledged: 0, median_hours_to_acknowledge: null, p90_hours_to_acknowledge: null, acknowledged_late: 0, pending: 0, pending_past_target: 0, resolved_unacknowledged: 0 },
        { level: 'low', target_hours: 336, raised: 0, acknowledged: 0, median_hours_to_acknowledge: null, p90_hours_to_acknowledge: null, acknowledged_late: 0, pending: 0, pending_past_target: 0, resolved_unacknowledged: 0 },
      ],
    },
    interventions: {
      interventions: 3,
      customers: 2,
      cost: 230,
      by_action: [
        { key: 'retention call', interventions: 2, customers: 2, cost: 180 },
        { key: 'discount', interventions: 1, customers: 1, cost: 50 },
      ],
      by_source: [{ key: 'api', interventions: 3, customers: 2, cost: 230 }],
    },
    roi: {
      customers: 10,
      treated_customers: 3,
      revenue_at_risk: 12000,
      expected_revenue_loss: 4000,
      programme_cost: 230,
      cost_basis: 'mixed',
      cost_customers_recorded: 2,
      cost_customers_estimated: 1,
      customers_retained: 0.8,
      revenue_saved: 960,
      net_benefit: 730,
      roi_multiple: 730 / 230,
      basis: 'estimate',
      retention_success_rate: 0.4,
      clv_months: 12,
      experiment: null,
    },
    quality: {
      label_delay_days: 0,
      models: [
        { model_version: 'v1', role: 'champion', outcomes: 4, churned: 2, roc_auc: 0.75, pr_auc: 0.8, brier: 0.2, lift_top_decile: 2, threshold: 0.5, precision: 0.5, recall: 0.5, cv_roc_auc: 0.84 },
      ],
    },
    experiments: [
      {
        name: 'spring-offers',
        arms: [
          { arm: 'control', customers: 4, targeted: 2, churned: 1, churn_rate: 0.5, cost: 0 },
          { arm: 'treatment', customers: 6, targeted: 4, churned: 1, churn_rate: 0.25, cost: 200 },
        ],
        comparisons: [{ arm: 'treatment', against: 'control', difference: 0.25, ci95_low: -0.5, ci95_high: 1, p_value: 0.5, significant: false, underpowered: true }],
        warnings: [],
      },
    ],
  };
}
