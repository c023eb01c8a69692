import type { Report } from './report';
import { typed, type Column, type ReportSection } from './report-cells';

const col = (title: string, kind: Column['kind'] = 'text'): Column => ({ title, kind });
const KEY_VALUE = [col('figure'), col('value')];

/** Drivers as one readable cell: `feature = value (+0.123)`, largest share first. */
export function driversText(drivers: Report['top_customers']['customers'][number]['drivers']): string {
  return drivers.map((d) => `${d.feature} = ${String(d.value)} (${d.contribution >= 0 ? '+' : ''}${d.contribution.toFixed(3)})`).join('; ');
}

function summary(r: Report): ReportSection {
  return {
    id: 'summary',
    title: 'Summary',
    columns: KEY_VALUE,
    rows: [
      ['period from', typed(r.period.from, 'timestamp')],
      ['period to (exclusive)', typed(r.period.to, 'timestamp')],
      ['days', typed(r.period.days, 'text')],
      ['previous period from', typed(r.previous_period.from, 'timestamp')],
      ['generated at', typed(r.generated_at, 'timestamp')],
      ['customers scored', typed(r.risk.customers, 'count')],
      ['customers scored, previous period', typed(r.risk.previous_customers, 'count')],
      ['revenue at risk', typed(r.risk.revenue_at_risk, 'money')],
      [
        'alerts raised',
        typed(
          r.alert_sla.levels.reduce((s, l) => s + l.raised, 0),
          'count',
        ),
      ],
      ['interventions recorded', typed(r.interventions.interventions, 'count')],
      ['programme cost', typed(r.roi.programme_cost, 'money')],
      ['net benefit', typed(r.roi.net_benefit, 'money')],
    ],
  };
}

function riskDistribution(r: Report): ReportSection {
  return {
    id: 'risk_distribution',
    title: 'Risk distribution',
    note: "Each customer once, at the level of its newest champion prediction scored in the period; 'previous' is the period of the same length just before.",
    columns: [
      col('level'),
      col('customers', 'count'),
      col('share', 'share'),
      col('previous customers', 'count'),
      col('previous share', 'share'),
      col('change', 'change'),
      col('share change', 'points'),
      col('revenue at risk', 'money'),
    ],
    rows: [
      ...r.risk.levels.map((l) => [
        l.level,
        l.customers,
        l.share,
        l.previous_customers,
        l.previous_share,
        l.customers - l.previous_customers,
        l.share === null || l.previous_share === null ? null : l.share - l.previous_share,
        l.revenue_at_risk,
      ]),
      [
        'all',
        r.risk.customers,
        r.risk.customers > 0 ? 1 : null,
        r.risk.previous_customers,
        r.risk.previous_customers > 0 ? 1 : null,
        r.risk.customers - r.risk.previous_customers,
        null,
        r.risk.revenue_at_risk,
      ],
    ],
  };
}

function topCustomers(r: Report): ReportSection {
  return {
    id: 'top_customers',
    title: `Top ${r.top_customers.limit} at-risk customers`,
    note: 'Highest churn probability first; drivers are the features that raised the score most, the action is the playbook’s.',
    columns: [
      col('rank', 'count'),
      col('customer'),
      col('risk score', 'count'),
      col('level'),
      col('churn probability', 'probability'),
      col('revenue at risk', 'money'),
      col('recommended action'),
      col('action cost', 'money'),
      col('drivers'),
      col('scored at', 'timestamp'),
    ],
    rows: r.top_customers.customers.map((c) => [
      c.rank,
      c.customer_id,
      c.risk_score,
      c.risk_level,
      c.churn_probability,
      c.revenue_at_risk,
      c.recommended_action,
      c.intervention_cost,
      driversText(c.drivers),
      c.scored_at,
    ]),
  };
}

function alertSla(r: Report): ReportSection {
  return {
    id: 'alert_sla',
    title: 'Alert SLA',
    note: `Alerts raised in the period, as they stand now; time to acknowledge against each level's target (${r.alert_sla.targets}).`,
    columns: [
      col('level'),
      col('target', 'hours'),
      col('raised', 'count'),
      col('acknowledged', 'count'),
      col('median to acknowledge', 'hours'),
      col('p90 to acknowledge', 'hours'),
      col('acknowledged late', 'count'),
      col('pending', 'count'),
      col('pending past target', 'count'),
      col('resolved unacknowledged', 'count'),
    ],
    rows: r.alert_sla.levels.map((l) => [
      l.level,
      l.target_hours,
      l.raised,
      l.acknowledged,
      l.median_hours_to_acknowledge,
      l.p90_hours_to_acknowledge,
      l.acknowledged_late,
      l.pending,
      l.pending_past_target,
      l.resolved_unacknowledged,
    ]),
  };
}

function interventions(r: Report, by: 'action' | 'source'): ReportSection {
  const groups = by === 'action' ? r.interventions.by_action : r.interventions.by_source;
  return {
    id: `interventions_by_${by}`,
    title: `Interventions by ${by}`,
    note: by === 'action' ? 'Interventions performed in the period (the interventions table), whoever recorded them.' : undefined,
    columns: [col(by), col('interventions', 'count'), col('customers', 'count'), col('cost', 'money')],
    rows: [
      ...groups.map((g) => [g.key, g.interventions, g.customers, g.cost]),
      ['all', r.interventions.interventions, r.interventions.customers, r.interventions.cost],
    ],
  };
}

function roi(r: Report): ReportSection {
  const x = r.roi;
  return {
    id: 'roi',
    title: 'Return on the retention programme',
    note: 'Customers scored in the period; costs recorded in the period where they exist, else the risk level’s estimate.',
    columns: KEY_VALUE,
    rows: [
      ['customers', typed(x.customers, 'count')],
      ['treated customers', typed(x.treated_customers, 'count')],
      ['revenue at risk', typed(x.revenue_at_risk, 'money')],
      ['expected revenue loss', typed(x.expected_revenue_loss, 'money')],
      ['programme cost', typed(x.programme_cost, 'money')],
      ['cost basis', x.cost_basis ?? '-'],
      ['customers with recorded cost', typed(x.cost_customers_recorded, 'count')],
      ['customers with estimated cost', typed(x.cost_customers_estimated, 'count')],
      ['customers retained', typed(x.customers_retained, 'decimal')],
      ['revenue saved', typed(x.revenue_saved, 'money')],
      ['net benefit', typed(x.net_benefit, 'money')],
      ['ROI multiple', typed(x.roi_multiple, 'decimal')],
      ['revenue saved basis', x.experiment ? `${x.basis} (experiment ${x.experiment})` : x.basis],
      ['retention success rate (estimate)', typed(x.retention_success_rate, 'share')],
      ['CLV months', typed(x.clv_months, 'count')],
    ],
  };
}

function quality(r: Report): ReportSection {
  return {
    id: 'model_quality',
    title: 'Model quality',
    note: `Outcomes observed in the period, each judged by the model's last prediction at least ${r.quality.label_delay_days} days before it.`,
    columns: [
      col('model'),
      col('role'),
      col('outcomes', 'count'),
      col('churned', 'count'),
      col('ROC-AUC', 'decimal'),
      col('PR-AUC', 'decimal'),
      col('Brier', 'decimal'),
      col('lift top decile', 'decimal'),
      col('threshold', 'probability'),
      col('precision', 'decimal'),
      col('recall', 'decimal'),
      col('CV ROC-AUC', 'decimal'),
    ],
    rows: r.quality.models.map((m) => [
      m.model_version,
      m.role,
      m.outcomes,
      m.churned,
      m.roc_auc,
      m.pr_auc,
      m.brier,
      m.lift_top_decile,
      m.threshold,
      m.precision,
      m.recall,
      m.cv_roc_auc,
    ]),
  };
}

function experimentArms(r: Report): ReportSection {
  return {
    id: 'experiment_arms',
    title: 'Experiments: arms',
    note: 'Experiments whose customers were scored in the period; churn among targeted customers with an outcome observed before the period ends.',
    columns: [
      col('experiment'),
      col('arm'),
      col('customers', 'count'),
      col('targeted with outcome', 'count'),
      col('churned', 'count'),
      col('churn rate', 'share'),
      col('cost', 'money'),
    ],
    rows: r.experiments.flatMap((e) => e.arms.map((a) => [e.name, a.arm, a.customers, a.targeted, a.churned, a.churn_rate, a.cost])),
  };
}

function experimentComparisons(r: Report): ReportSection {
  return {
    id: 'experiment_comparisons',
    title: 'Experiments: each arm against control',
    note: 'Difference = control churn rate - arm churn rate (positive: the action reduced churn); two-proportion z-test.',
    columns: [
      col('experiment'),
      col('arm'),
      col('against'),
      col('difference', 'points'),
      col('95% CI low', 'points'),
      col('95% CI high', 'points'),
      col('p-value', 'decimal'),
      col('significant'),
      col('underpowered'),
    ],
    rows: r.experiments.flatMap((e) =>
      e.comparisons.map((c) => [
        e.name,
        c.arm,
        c.against,
        c.difference,
        c.ci95_low,
        c.ci95_high,
        c.p_value,
        c.significant ? 'yes' : 'no',
        c.underpowered ? 'yes' : 'no',
      ]),
    ),
  };
}

/** The report's tables, in reading order: the CSV and the PDF render exactly these. */
export function reportSections(report: Report): ReportSection[] {
  return [
    summary(report),
    riskDistribution(report),
    topCustomers(report),
    alertSla(report),
    interventions(report, 'action'),
    interventions(report, 'source'),
    roi(report),
    quality(report),
    experimentArms(report),
    experimentComparisons(report),
  ];
}
