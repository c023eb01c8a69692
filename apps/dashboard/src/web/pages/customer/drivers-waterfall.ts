import { Chart } from 'chart.js';
import '../../charts';
import type { Driver } from '../../customer-api';
import { el } from '../../dom';
import { DASH, formatPercent } from '../../format';
import { waterfallSteps, type WaterfallStep } from '../../../logic/customer/waterfall-steps';

const STEP_COLOURS: Readonly<Record<WaterfallStep['kind'], string>> = { base: '#94a3b8', up: '#dc2626', down: '#059669', total: '#4f46e5' };

let chart: Chart<'bar', [number, number][]> | undefined;

/** A contribution in percentage points of churn probability, signed. */
export function formatContribution(value: number): string {
  const points = (value * 100).toFixed(1);
  return value > 0 ? `+${points} pts` : `${points} pts`;
}

function formatValue(value: Driver['value']): string {
  if (value === null || value === undefined) return DASH;
  return typeof value === 'number' ? String(Math.round(value * 100) / 100) : String(value);
}

/**
 * Why the model scored this customer so: the prediction's top factors as a horizontal waterfall of
 * floating bars from what they leave unexplained to the churn probability, and the same as a table.
 */
export function driversWaterfall(drivers: readonly Driver[], probability: number | null): { section: HTMLElement; draw: () => void } {
  const steps = waterfallSteps(drivers, probability);
  const canvas = el('canvas', {
    role: 'img',
    'aria-label': 'Waterfall of the drivers’ contributions to the churn probability; the figures are in the table below',
  });
  const caption =
    'Each driver’s contribution is in percentage points of churn probability (the scorer’s permutation explanation): positive raises the risk, negative lowers it. ' +
    'The prediction carries its largest contributions only; the first bar is the model’s baseline plus every other feature, and the bars add up to the churn probability.';
  const table = el(
    'table',
    { 'data-testid': 'drivers-table' },
    el('caption', {}, 'Drivers of the current score'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Feature'),
        el('th', { scope: 'col' }, 'Customer’s value'),
        el('th', { scope: 'col', class: 'num' }, 'Contribution'),
      ),
    ),
    el(
      'tbody',
      {},
      ...drivers.map((d) =>
        el(
          'tr',
          { 'data-testid': `driver-${d.feature}`, 'data-feature': d.feature, 'data-contribution': d.contribution },
          el('th', { scope: 'row' }, d.feature),
          el('td', {}, formatValue(d.value)),
          el('td', { class: `num ${d.contribution > 0 ? 'contribution-up' : 'contribution-down'}` }, formatContribution(d.contribution)),
        ),
      ),
    ),
  );
  const frame = el('div', { class: 'chart' }, canvas);
  // A bar per step: the chart grows with the number of drivers instead of squeezing them.
  frame.style.height = `${steps.length * 34 + 40}px`;
  const section = el(
    'section',
    { class: 'panel', 'aria-labelledby': 'drivers-title', 'data-testid': 'drivers-waterfall' },
    el(
      'div',
      { class: 'panel-head' },
      el('h3', { id: 'drivers-title' }, 'Why this score'),
      el('span', { class: 'muted' }, `churn probability ${formatPercent(probability)}`),
    ),
    drivers.length === 0 ? el('p', { class: 'muted' }, 'The current prediction carries no drivers (scored without explanations).') : frame,
    el('p', { class: 'footnote', id: 'drivers-caption' }, caption),
    el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Drivers table' }, table),
  );
  const draw = () => {
    chart?.destroy();
    if (drivers.length === 0) return;
    chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: steps.map((s) => s.label),
        datasets: [
          {
            label: 'churn probability',
            data: steps.map((s): [number, number] => [s.from * 100, s.to * 100]),
            backgroundColor: steps.map((s) => STEP_COLOURS[s.kind]),
            borderRadius: 3,
            borderSkipped: false,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        scales: { x: { title: { display: true, text: 'churn probability (%)' }, grid: { color: '#eef2f7' } }, y: { grid: { display: false } } },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const s = steps[item.dataIndex]!;
                return s.kind === 'base' || s.kind === 'total' ? formatPercent(s.to) : formatContribution(s.to - s.from);
              },
            },
          },
        },
      },
    });
  };
  return { section, draw };
}
