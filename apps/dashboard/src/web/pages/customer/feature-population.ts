import type { CustomerDetail, CustomerFeature } from '../../customer-api';
import { el } from '../../dom';
import { DASH, formatInteger, formatPercent, formatTime } from '../../format';
import { categoryShare, placeInQuantiles, quantilePoints } from '../../../logic/customer/quantile-placement';

const SECTIONS: readonly { section: CustomerFeature['section']; title: string; about: string }[] = [
  { section: 'attributes', title: 'Attributes', about: 'what the customer’s events set' },
  { section: 'derived', title: 'Derived features', about: 'computed from the attributes' },
  { section: 'aggregates', title: 'Behaviour', about: 'aggregates of the event history' },
];

function formatNumber(value: number): string {
  return Number.isInteger(value) ? formatInteger(value) : String(Math.round(value * 100) / 100);
}

/**
 * Every feature of the active spec beside the population's distribution, grouped as the spec groups
 * them: a number on the population's range (the middle half shaded, the median marked, the customer's
 * value as a pin), a category with the share of customers who have it.
 */
export function featurePopulation(detail: CustomerDetail): HTMLElement {
  const stale = !detail.features_spec.matches;
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'features-title', 'data-testid': 'features' },
    el(
      'div',
      { class: 'panel-head' },
      el('h3', { id: 'features-title' }, 'Features against the population'),
      el('span', { class: 'muted' }, detail.features_as_of ? `as of ${formatTime(detail.features_as_of)}` : 'no feature vector yet'),
    ),
    stale && detail.features_as_of
      ? el(
          'p',
          { class: 'banner', 'data-testid': 'features-stale' },
          'The newest vector was computed under another feature spec than the active one: its values are not shown.',
        )
      : '',
    ...SECTIONS.map(({ section, title, about }) => {
      const features = detail.features.filter((f) => f.section === section);
      if (features.length === 0) return '';
      return el(
        'div',
        { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `${title} table` },
        el(
          'table',
          { class: 'features-table', 'data-testid': `features-${section}` },
          el('caption', {}, `${title} `, el('span', { class: 'muted' }, `(${about})`)),
          el(
            'thead',
            {},
            el('tr', {}, el('th', { scope: 'col' }, 'Feature'), el('th', { scope: 'col' }, 'Customer'), el('th', { scope: 'col' }, 'Population')),
          ),
          el('tbody', {}, ...features.map(featureRow)),
        ),
      );
    }),
  );
}

function featureRow(feature: CustomerFeature): HTMLElement {
  const value = feature.value === null ? DASH : typeof feature.value === 'number' ? formatNumber(feature.value) : feature.value;
  return el(
    'tr',
    { 'data-testid': `feature-${feature.name}`, 'data-kind': feature.kind },
    el('th', { scope: 'row' }, feature.name),
    el('td', { class: 'feature-value' }, value),
    el('td', { class: 'feature-population' }, population(feature)),
  );
}

function population(feature: CustomerFeature): Node | string {
  const summary = feature.population;
  if (!summary || summary.customers === 0) return el('span', { class: 'muted' }, 'no population yet');
  if (summary.type === 'categorical') {
    const share = categoryShare(feature.value, summary.shares);
    const text =
      feature.value === null
        ? `${summary.shares.length} values among ${formatInteger(summary.customers)} customers`
        : share === null
          ? 'a rare value (not among the most common)'
          : `${formatPercent(share, 0)} of customers have this value`;
    const cell = el('div', { class: 'share', 'data-share': share ?? '' }, el('span', {}, text));
    if (share !== null) {
      const meter = el('span', { class: 'share-bar', 'aria-hidden': 'true' }, el('span', { class: 'share-fill' }));
      (meter.firstChild as HTMLElement).style.width = `${Math.max(1, share * 100)}%`;
      cell.prepend(meter);
    }
    return cell;
  }
  const points = quantilePoints(summary.quantiles);
  if (points.length === 0) return el('span', { class: 'muted' }, 'no numbers in the population');
  const q = (p: number) => points.find(([k]) => k === p)?.[1];
  const min = points[0]![1];
  const max = points[points.length - 1]![1];
  const at = (v: number | undefined) => (v === undefined || max <= min ? 50 : ((v - min) / (max - min)) * 100);
  const range = `median ${formatNumber(q(50) ?? min)}, middle half ${formatNumber(q(25) ?? min)}–${formatNumber(q(75) ?? max)}, range ${formatNumber(min)}–${formatNumber(max)}`;
  const placed = typeof feature.value === 'number' ? placeInQuantiles(feature.value, summary.quantiles) : null;
  const track = el('span', { class: 'quantile-track', 'aria-hidden': 'true' }, el('span', { class: 'quantile-box' }), el('span', { class: 'quantile-median' }));
  const [box, median] = [track.children[0] as HTMLElement, track.children[1] as HTMLElement];
  box.style.left = `${at(q(25))}%`;
  box.style.width = `${Math.max(0.5, at(q(75)) - at(q(25)))}%`;
  median.style.left = `${at(q(50))}%`;
  if (placed) {
    const pin = el('span', { class: 'quantile-pin' });
    pin.style.left = `${placed.position * 100}%`;
    track.append(pin);
  }
  return el(
    'div',
    { class: 'quantiles', 'data-percentile': placed?.percentile ?? '' },
    track,
    el('span', { class: 'muted' }, placed ? `about p${Math.round(placed.percentile)} · ${range}` : range),
  );
}
