import type { DashboardData, ModelDrift, QualityFigures, QualityWindow, RoiFigures } from './api';
import { byId, el, setFigure } from './dom';
import { DASH, formatAge, formatDecimal, formatInteger, formatMoney, formatMultiple, formatPercent } from './format';

/** The four headline cards. */
export function renderCards(cards: DashboardData['cards']): void {
  setFigure(byId('card-predictions-30d'), formatInteger(cards.predictions_30d), cards.predictions_30d);
  byId('card-predictions-30d-note').textContent = `${formatInteger(cards.customers_30d)} customers scored`;
  setFigure(byId('card-critical'), formatInteger(cards.critical_customers), cards.critical_customers);
  const share = cards.customers_30d > 0 ? cards.critical_customers / cards.customers_30d : null;
  byId('card-critical-note').textContent = share === null ? 'no customers scored' : `${formatPercent(share)} of scored customers`;
  setFigure(byId('card-pending-alerts'), formatInteger(cards.pending_alerts), cards.pending_alerts);
  setFigure(byId('card-average-risk'), formatDecimal(cards.average_risk_score, 1), cards.average_risk_score);
}

/** Revenue at risk → programme cost → revenue saved → net benefit → ROI multiple, with the basis of "saved". */
export function renderRoi(roi: DashboardData['roi']): void {
  const o: RoiFigures = roi.overall;
  setFigure(byId('roi-revenue-at-risk'), formatMoney(o.revenue_at_risk), o.revenue_at_risk);
  setFigure(byId('roi-expected-loss'), formatMoney(o.expected_revenue_loss), o.expected_revenue_loss);
  setFigure(byId('roi-programme-cost'), formatMoney(o.programme_cost), o.programme_cost);
  setFigure(byId('roi-revenue-saved'), formatMoney(o.revenue_saved), o.revenue_saved);
  setFigure(byId('roi-net-benefit'), formatMoney(o.net_benefit), o.net_benefit);
  setFigure(byId('roi-multiple'), formatMultiple(o.roi_multiple), o.roi_multiple);
  byId('roi-net-benefit').classList.toggle('negative', o.net_benefit < 0);
  const basis = byId('roi-basis');
  basis.textContent = o.basis === 'measured' ? 'measured' : 'estimate';
  basis.className = `badge ${o.basis === 'measured' ? 'badge-measured' : 'badge-estimate'}`;
  basis.dataset['value'] = o.basis;
  const e = roi.experiment;
  byId('roi-basis-note').textContent =
    o.basis === 'measured' && e
      ? `Revenue saved measured by experiment “${e.name}”: uplift ${formatPercent(e.uplift)} (p = ${formatDecimal(e.p_value, 3)}${e.underpowered ? ', underpowered' : ''}).`
      : `Revenue saved is an estimate: ${formatPercent(roi.assumptions.retention_success_rate, 0)} of treated would-be churners kept (no experiment measures it yet). CLV horizon ${roi.assumptions.clv_months} months.`;
  byId('roi-customers').textContent = `${formatInteger(o.customers)} customers · ${formatInteger(o.treated_customers)} treated · last 30 days`;
}

const WINDOWS: readonly QualityWindow[] = ['24h', '7d', '30d', 'all'];
const WINDOW_NAMES: Readonly<Record<QualityWindow, string>> = { '24h': 'Last 24 h', '7d': 'Last 7 days', '30d': 'Last 30 days', all: 'Since deployment' };
const QUALITY_COLUMNS: readonly [keyof QualityFigures, string, (f: QualityFigures) => string][] = [
  ['count', 'Outcomes', (f) => formatInteger(f.count)],
  ['roc_auc', 'ROC-AUC', (f) => formatDecimal(f.roc_auc)],
  ['pr_auc', 'PR-AUC', (f) => formatDecimal(f.pr_auc)],
  ['brier', 'Brier', (f) => formatDecimal(f.brier)],
  ['ece', 'ECE', (f) => formatDecimal(f.ece)],
  ['lift_top_decile', 'Lift@10 %', (f) => formatDecimal(f.lift_top_decile, 2)],
  ['precision', 'Precision', (f) => formatDecimal(f.precision)],
  ['recall', 'Recall', (f) => formatDecimal(f.recall)],
  ['f1', 'F1', (f) => formatDecimal(f.f1)],
];

/** Champion quality per window, and the shadow model's since-deployment figures. */
export function renderQuality(quality: DashboardData['quality'], shadows: DashboardData['shadow_quality']): void {
  const meta = byId('quality-model');
  const body = byId('quality-body');
  body.replaceChildren();
  byId('quality-head').replaceChildren(el('tr', {}, el('th', {}, 'Window'), ...QUALITY_COLUMNS.map(([, name]) => el('th', { class: 'num' }, name))));
  if (!quality) {
    meta.textContent = 'No labelled outcomes yet.';
    body.append(el('tr', {}, el('td', { colspan: QUALITY_COLUMNS.length + 1, class: 'empty' }, 'Model quality appears once outcomes are observed.')));
  } else {
    const threshold = quality.windows.all.overall.threshold;
    meta.replaceChildren(
      'Champion ',
      el('code', { 'data-testid': 'quality-model-version' }, quality.model_version),
      ` · decision threshold ${formatDecimal(threshold, 2)} · label delay ${quality.label_delay_days} d`,
    );
    for (const window of WINDOWS) {
      const figures = quality.windows[window].overall;
      body.append(
        el(
          'tr',
          { 'data-testid': `quality-row-${window}` },
          el('th', { scope: 'row' }, WINDOW_NAMES[window]),
          ...QUALITY_COLUMNS.map(([key, , show]) => {
            const raw = figures[key];
            return el(
              'td',
              { class: 'num', 'data-testid': `quality-${key}-${window}`, 'data-value': raw === null ? '' : String(raw) },
              figures.count === 0 && key !== 'count' ? DASH : show(figures),
            );
          }),
        ),
      );
    }
  }
  const shadow = byId('quality-shadow');
  shadow.textContent =
    shadows.length === 0
      ? 'No shadow model is scoring.'
      : shadows.map((s) => `Shadow ${s.model_version}: ROC-AUC ${formatDecimal(s.all.roc_auc)} on ${formatInteger(s.all.count)} outcomes`).join(' · ');
}

/** During a gradual rollout: which version serves which share, and each one's figures on its own customers. */
export function renderRollout(rollout: DashboardData['rollout']): void {
  const line = byId('quality-rollout');
  if (!rollout) {
    line.textContent = 'No rollout: the champion serves every customer.';
    return;
  }
  const side = (arm: NonNullable<DashboardData['rollout']>['arms'][number]) =>
    `${arm.serving === 'rollout' ? `Rollout ${formatPercent(rollout.share, 0)}` : 'Champion'} ${arm.model_version}: ${formatInteger(arm.customers)} customers, ` +
    `ROC-AUC ${formatDecimal(arm.all?.roc_auc)} on ${formatInteger(arm.all?.count ?? 0)} outcomes, 30-day ROI ${formatMultiple(arm.roi.roi_multiple)}`;
  line.textContent = rollout.arms.map(side).join(' · ');
}

/** Drift of the champion shown in the quality panel (else any champion, else the first model checked). */
export function renderDriftSummary(
  drift: readonly ModelDrift[],
  modelAlerts: DashboardData['model_alerts'],
  championVersion: string | undefined,
): ModelDrift | undefined {
  const model = drift.find((d) => d.role === 'champion' && d.model_version === championVersion) ?? drift.find((d) => d.role === 'champion') ?? drift[0];
  const summary = byId('drift-summary');
  summary.replaceChildren();
  if (!model) {
    summary.append(el('p', { class: 'muted' }, 'No model scored in the drift window.'));
  } else {
    const breaches = model.features.filter((f) => f.breached).length + (model.score?.breached ? 1 : 0) + (model.performance.breached ? 1 : 0);
    summary.append(
      el(
        'div',
        { class: 'drift-status' },
        el(
          'span',
          { class: `badge ${breaches > 0 ? 'badge-critical' : 'badge-ok'}`, 'data-testid': 'drift-status' },
          breaches > 0 ? `${breaches} breach${breaches > 1 ? 'es' : ''}` : 'no drift',
        ),
        el('code', {}, model.model_version),
      ),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Customers checked'),
        el('dd', {}, `${formatInteger(model.customers)}${model.enough_data ? '' : ' (too few to alert)'}`),
        el('dt', {}, 'Score PSI'),
        el('dd', { 'data-testid': 'drift-score-psi' }, formatDecimal(model.score?.psi, 4)),
        el('dt', {}, 'CV → live ROC-AUC'),
        el('dd', {}, `${formatDecimal(model.performance.cv_roc_auc)} → ${formatDecimal(model.performance.live_roc_auc)}`),
        el('dt', {}, 'Relative drop'),
        el('dd', { class: model.performance.breached ? 'negative' : '' }, formatPercent(model.performance.relative_drop)),
      ),
    );
  }
  const list = byId('model-alerts');
  list.replaceChildren(
    ...(modelAlerts.length === 0
      ? [el('li', { class: 'muted' }, 'No model alerts.')]
      : modelAlerts
          .slice(0, 5)
          .map((a) =>
            el(
              'li',
              {},
              el('span', { class: 'badge badge-high' }, a.kind.replace('_', ' ')),
              ` ${a.subject} · ${formatDecimal(a.value, 3)} > ${formatDecimal(a.threshold, 3)} · ${formatAge(a.created_at)}`,
            ),
          )),
  );
  return model;
}
