import type { CustomerDetail } from '../../customer-api';
import { el, setFigure } from '../../dom';
import { DASH, formatInteger, formatMoney, formatPercent, formatTime } from '../../format';
import { alertSla } from './alert-sla';

/**
 * What an agent reads first: who, how risky and since when, what the model would do and at what cost,
 * the experiment arm (a control customer is left alone), and the open alert with its SLA deadline.
 */
export function customerHeader(detail: CustomerDetail, now = Date.now()): HTMLElement {
  const c = detail.customer;
  const fact = (label: string, testid: string, value: Node | string, raw?: number | string | null) => {
    const dd = el('dd', { 'data-testid': testid }, value);
    dd.dataset['value'] = raw === null || raw === undefined ? '' : String(raw);
    return [el('dt', {}, label), dd];
  };
  const score = el('span', { class: 'customer-score', 'data-testid': 'header-risk-score' });
  setFigure(score, formatInteger(c.risk_score), c.risk_score);
  const change = c.score_change === null ? 'first score' : `${c.score_change > 0 ? '+' : ''}${formatInteger(c.score_change)} since the previous score`;
  const action = detail.recommended_action;
  return el(
    'section',
    { class: 'panel customer-header', 'aria-label': 'Current risk', 'data-testid': 'customer-header' },
    el(
      'div',
      { class: 'customer-risk' },
      score,
      el('span', { class: `badge badge-${c.risk_level ?? 'none'}`, 'data-testid': 'header-risk-level' }, c.risk_level ?? 'not scored'),
      el('span', { class: 'muted', 'data-testid': 'header-score-change', 'data-value': c.score_change ?? '' }, change),
    ),
    el(
      'dl',
      { class: 'facts customer-facts' },
      ...fact('Churn probability', 'header-probability', formatPercent(c.churn_probability), c.churn_probability),
      ...fact('Revenue at risk', 'header-revenue', formatMoney(c.revenue_at_risk), c.revenue_at_risk),
      ...fact('Recommended action', 'header-action', action ? action.action.replace(/_/g, ' ') : DASH, action?.action),
      ...fact('Its cost', 'header-action-cost', formatMoney(action?.cost), action?.cost),
      ...fact('Model version', 'header-model-version', c.model_version ? el('code', {}, c.model_version) : DASH, c.model_version),
      ...fact('Scored', 'header-scored-at', c.scored_at ? formatTime(c.scored_at) : DASH, c.scored_at),
      ...fact('Experiment arm', 'header-arm', detail.experiment ? `${detail.experiment.arm} (${detail.experiment.name})` : 'none', detail.experiment?.arm),
      ...fact('Alert', 'header-alert', alertText(detail, now), c.alert?.state),
    ),
  );
}

function alertText(detail: CustomerDetail, now: number): Node | string {
  const alert = detail.customer.alert;
  if (!alert) return 'none';
  return el('span', {}, el('span', { class: `badge badge-${alert.level}` }, alert.level), ` ${alert.state}`, alertSla(alert, now, 'header-sla'));
}
