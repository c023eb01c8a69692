import type { Gauge } from 'prom-client';
import { getOrCreateGauge, type Registry } from '@churn/observability';
import type { ModelDrift } from './drift/drift-check';
import type { ModelQuality, QualityFigures } from './quality/model-quality';
import type { RoiFigures, RoiSnapshot } from './roi/programme-economics';

const QUALITY_LABELS = ['model_version', 'role', 'window', 'cohort'] as const;
type QualityLabel = (typeof QUALITY_LABELS)[number];

/** Prometheus gauges of the figures the refresh computes; cleared and set anew on every refresh so that stale series vanish. */
export class MonitoringGauges {
  private readonly quality: ReadonlyArray<readonly [keyof QualityFigures, Gauge<QualityLabel>]>;
  private readonly psi: Gauge<'model_version' | 'role' | 'feature'>;
  private readonly ks: Gauge<'model_version' | 'role' | 'feature'>;
  private readonly scorePsi: Gauge<'model_version' | 'role'>;
  private readonly performanceDrop: Gauge<'model_version' | 'role'>;
  private readonly breaches: Gauge<'model_version' | 'role' | 'kind'>;
  private readonly roi: ReadonlyArray<readonly [keyof RoiFigures, Gauge<'window' | 'risk_level'>]>;
  private readonly estimate: Gauge<'window'>;

  constructor(registry: Registry) {
    const q = (metric: keyof QualityFigures, name: string, help: string) =>
      [
        metric,
        getOrCreateGauge(registry, {
          name,
          help: `${help} Outcomes joined to the prediction they judge, per model version, role, window (24h, 7d, 30d, all = since deployment) and cohort.`,
          labelNames: QUALITY_LABELS,
        }),
      ] as const;
    this.quality = [
      q('count', 'monitoring_model_labelled_outcomes', 'Labelled outcomes.'),
      q('roc_auc', 'monitoring_model_roc_auc', 'ROC-AUC.'),
      q('pr_auc', 'monitoring_model_pr_auc', 'PR-AUC (average precision).'),
      q('brier', 'monitoring_model_brier_score', 'Brier score.'),
      q('ece', 'monitoring_model_calibration_error', 'Expected calibration error (10 equal-width bins).'),
      q('lift_top_decile', 'monitoring_model_lift_top_decile_ratio', 'Churn rate in the top-scored decile over the overall churn rate.'),
      q('accuracy', 'monitoring_model_accuracy_ratio', 'Accuracy at the decision threshold.'),
      q('precision', 'monitoring_model_precision_ratio', 'Precision at the decision threshold.'),
      q('recall', 'monitoring_model_recall_ratio', 'Recall at the decision threshold.'),
      q('f1', 'monitoring_model_f1_score', 'F1 at the decision threshold.'),
    ];
    this.psi = getOrCreateGauge(registry, {
      name: 'monitoring_feature_psi',
      help: 'Population Stability Index of a feature against the model card reference.',
      labelNames: ['model_version', 'role', 'feature'],
    });
    this.ks = getOrCreateGauge(registry, {
      name: 'monitoring_feature_ks_statistic',
      help: 'Two-sample KS statistic of a numeric feature against the model card reference.',
      labelNames: ['model_version', 'role', 'feature'],
    });
    this.scorePsi = getOrCreateGauge(registry, {
      name: 'monitoring_score_psi',
      help: 'PSI of the churn-probability distribution against the model card reference.',
      labelNames: ['model_version', 'role'],
    });
    this.performanceDrop = getOrCreateGauge(registry, {
      name: 'monitoring_model_roc_auc_drop_ratio',
      help: 'Relative drop of the live ROC-AUC (since deployment) from the model card CV ROC-AUC.',
      labelNames: ['model_version', 'role'],
    });
    this.breaches = getOrCreateGauge(registry, {
      name: 'monitoring_drift_breaches',
      help: 'Drift checks currently over their threshold, by kind (feature_drift, score_drift, performance_drift).',
      labelNames: ['model_version', 'role', 'kind'],
    });
    const r = (metric: keyof RoiFigures, name: string, help: string) =>
      [
        metric,
        getOrCreateGauge(registry, { name, help: `${help} Per window and risk level (all = every level).`, labelNames: ['window', 'risk_level'] }),
      ] as const;
    this.roi = [
      r('customers', 'monitoring_roi_customers', 'Customers with a champion prediction scored in the window.'),
      r('treated_customers', 'monitoring_roi_treated_customers', 'Customers who received an intervention.'),
      r('revenue_at_risk', 'monitoring_roi_revenue_at_risk_dollars', 'Revenue at risk (monthly charges x CLV months).'),
      r('expected_revenue_loss', 'monitoring_roi_expected_revenue_loss_dollars', 'Sum of churn probability x revenue at risk.'),
      r('programme_cost', 'monitoring_roi_programme_cost_dollars', 'Cost of the interventions.'),
      r(
        'revenue_saved',
        'monitoring_roi_revenue_saved_dollars',
        'Revenue saved (measured by the experiment, else estimated from the configured success rate).',
      ),
      r('net_benefit', 'monitoring_roi_net_benefit_dollars', 'Revenue saved minus programme cost.'),
      r('roi_multiple', 'monitoring_roi_multiple_ratio', 'Net benefit / programme cost.'),
    ];
    this.estimate = getOrCreateGauge(registry, {
      name: 'monitoring_roi_estimated',
      help: '1 when revenue saved is an estimate from the configured success rate, 0 when an experiment measured it.',
      labelNames: ['window'],
    });
  }

  setQuality(models: readonly ModelQuality[]): void {
    for (const [, gauge] of this.quality) gauge.reset();
    for (const m of models) {
      for (const [window, w] of Object.entries(m.windows)) {
        const base = { model_version: m.model_version, role: m.role, window };
        this.setFigures({ ...base, cohort: 'all' }, w.overall);
        for (const [dimension, cohorts] of Object.entries(w.cohorts)) {
          for (const [cohort, figures] of Object.entries(cohorts)) this.setFigures({ ...base, cohort: `${dimension}:${cohort}` }, figures);
        }
      }
    }
  }

  private setFigures(labels: Record<QualityLabel, string>, figures: QualityFigures): void {
    for (const [metric, gauge] of this.quality) {
      const value = figures[metric];
      if (typeof value === 'number') gauge.set(labels, value);
    }
  }

  setDrift(models: readonly ModelDrift[]): void {
    for (const g of [this.psi, this.ks, this.scorePsi, this.performanceDrop, this.breaches]) g.reset();
    for (const m of models) {
      const base = { model_version: m.model_version, role: m.role };
      for (const f of m.features) {
        this.psi.set({ ...base, feature: f.subject }, f.psi);
        if (f.ks_statistic !== null) this.ks.set({ ...base, feature: f.subject }, f.ks_statistic);
      }
      if (m.score) this.scorePsi.set(base, m.score.psi);
      if (m.performance.relative_drop !== null) this.performanceDrop.set(base, m.performance.relative_drop);
      this.breaches.set({ ...base, kind: 'feature_drift' }, m.features.filter((f) => f.breached).length);
      this.breaches.set({ ...base, kind: 'score_drift' }, m.score?.breached ? 1 : 0);
      this.breaches.set({ ...base, kind: 'performance_drift' }, m.performance.breached ? 1 : 0);
    }
  }

  setRoi(snapshots: readonly RoiSnapshot[]): void {
    for (const [, gauge] of this.roi) gauge.reset();
    this.estimate.reset();
    for (const s of snapshots) {
      this.estimate.set({ window: s.window }, s.overall.basis === 'estimate' ? 1 : 0);
      const put = (riskLevel: string, f: RoiFigures) => {
        for (const [metric, gauge] of this.roi) {
          const value = f[metric];
          if (typeof value === 'number') gauge.set({ window: s.window, risk_level: riskLevel }, value);
        }
      };
      put('all', s.overall);
      for (const [level, f] of Object.entries(s.by_risk_level)) put(level, f);
    }
  }
}
