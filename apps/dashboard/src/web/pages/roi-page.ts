import { Chart } from 'chart.js';
import { el, setFigure } from '../dom';
import { formatDay, formatInteger, formatMoney, formatMultiple } from '../format';
import { emptyState, errorState, loadingState } from '../page-states';
import { fetchRoiSeries, type RoiSeries } from '../workspace-api';
import { apiBounds, paramsOf, periodFromParams, PRESETS, presetPeriod, type RoiPeriod } from './roi-period';

let chart: Chart<'bar' | 'line'> | undefined;

/**
 * ROI over time for any period: a period picker (presets or two dates, per day or week), the period's
 * totals, and a chart of revenue saved, programme cost and net benefit per bucket with the ROI
 * multiple, and the same figures as a table.
 */
export async function renderRoiPage(container: HTMLElement, params: URLSearchParams, navigate: (params: URLSearchParams) => void): Promise<void> {
  const period = periodFromParams(params);
  const result = el('div', {}, loadingState('the ROI series'));
  container.replaceChildren(
    el('h2', { class: 'page-title', tabindex: -1 }, 'Return on investment'),
    el(
      'p',
      { class: 'intro' },
      'Per bucket: the customers scored in it at their newest prediction there, what treating them cost, and the revenue kept (measured by the experiment when one runs, else estimated).',
    ),
    picker(period, navigate),
    result,
  );
  const bounds = apiBounds(period);
  let series: RoiSeries;
  try {
    series = await fetchRoiSeries(bounds.from, bounds.to, period.bucket);
  } catch (error) {
    result.replaceChildren(errorState('the ROI series', error, () => void renderRoiPage(container, params, navigate)));
    return;
  }
  if (series.total.customers === 0) {
    chart?.destroy();
    chart = undefined;
    result.replaceChildren(emptyState(`No customer was scored between ${formatDay(series.from)} and ${formatDay(period.to)}.`));
    return;
  }
  const canvas = el('canvas', { 'data-testid': 'roi-chart', role: 'img', 'aria-label': `ROI per ${series.bucket}; the figures are in the table below` });
  result.replaceChildren(totals(series), el('section', { class: 'panel' }, el('div', { class: 'chart chart-roi' }, canvas)), table(series));
  drawChart(canvas, series);
}

function picker(period: RoiPeriod, navigate: (params: URLSearchParams) => void): HTMLElement {
  const from = el('input', { type: 'date', id: 'roi-from', name: 'from', value: period.from, required: true, 'data-testid': 'roi-from' });
  const to = el('input', { type: 'date', id: 'roi-to', name: 'to', value: period.to, required: true, 'data-testid': 'roi-to' });
  const bucket = el(
    'select',
    { id: 'roi-bucket', name: 'bucket', 'data-testid': 'roi-bucket' },
    el('option', { value: 'day' }, 'Day'),
    el('option', { value: 'week' }, 'Week'),
  );
  bucket.value = period.bucket;
  const form = el(
    'form',
    { class: 'period-picker', 'aria-label': 'Period', 'data-testid': 'roi-period' },
    el('div', { class: 'presets', role: 'group', 'aria-label': 'Presets' }, ...PRESETS.map((p) => presetButton(p, navigate))),
    el('label', { for: 'roi-from' }, 'From', from),
    el('label', { for: 'roi-to' }, 'To', to),
    el('label', { for: 'roi-bucket' }, 'Per', bucket),
    el('button', { type: 'submit', 'data-testid': 'roi-apply' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (to.value < from.value) {
      to.setCustomValidity('The last day comes on or after the first.');
      to.reportValidity();
      return;
    }
    to.setCustomValidity('');
    navigate(paramsOf({ from: from.value, to: to.value, bucket: bucket.value === 'week' ? 'week' : 'day' }));
  });
  return form;
}

function presetButton(preset: (typeof PRESETS)[number], navigate: (params: URLSearchParams) => void): HTMLElement {
  const button = el('button', { type: 'button', class: 'secondary-dark', 'data-testid': `roi-preset-${preset.id}` }, preset.label);
  button.addEventListener('click', () => navigate(paramsOf(presetPeriod(preset.days, preset.bucket))));
  return button;
}

function totals(series: RoiSeries): HTMLElement {
  const t = series.total;
  const figure = (label: string, text: string, raw: number | null, testid: string) => {
    const value = el('p', { class: 'figure', 'data-testid': testid });
    setFigure(value, text, raw);
    return el('div', {}, el('h3', {}, label), value);
  };
  return el(
    'section',
    { class: 'panel roi', 'aria-label': 'The period’s totals', 'data-testid': 'roi-totals' },
    el(
      'div',
      { class: 'roi-flow' },
      figure('Customers', formatInteger(t.customers), t.customers, 'roi-total-customers'),
      figure('Programme cost', formatMoney(t.programme_cost), t.programme_cost, 'roi-total-cost'),
      figure('Revenue saved', formatMoney(t.revenue_saved), t.revenue_saved, 'roi-total-saved'),
      figure('Net benefit', formatMoney(t.net_benefit), t.net_benefit, 'roi-total-net'),
      figure('ROI multiple', formatMultiple(t.roi_multiple), t.roi_multiple, 'roi-total-multiple'),
    ),
    el(
      'p',
      { class: 'footnote' },
      t.basis === 'measured'
        ? 'Revenue saved is measured by the running experiment.'
        : `Revenue saved is an estimate: ${Math.round(series.assumptions.retention_success_rate * 100)} % of treated would-be churners kept.`,
    ),
  );
}

function table(series: RoiSeries): HTMLElement {
  return el(
    'details',
    { class: 'panel' },
    el('summary', {}, `Figures per ${series.bucket}`),
    el(
      'div',
      { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'ROI per bucket' },
      el(
        'table',
        { 'data-testid': 'roi-table' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['From', 'Customers', 'Treated', 'Cost', 'Revenue saved', 'Net benefit', 'ROI'].map((h, i) =>
              el('th', { scope: 'col', class: i === 0 ? '' : 'num' }, h),
            ),
          ),
        ),
        el(
          'tbody',
          {},
          ...series.points.map((p) =>
            el(
              'tr',
              {},
              el('th', { scope: 'row' }, formatDay(p.from)),
              el('td', { class: 'num' }, formatInteger(p.customers)),
              el('td', { class: 'num' }, formatInteger(p.treated_customers)),
              el('td', { class: 'num' }, formatMoney(p.programme_cost)),
              el('td', { class: 'num' }, formatMoney(p.revenue_saved)),
              el('td', { class: 'num' }, formatMoney(p.net_benefit)),
              el('td', { class: 'num' }, formatMultiple(p.roi_multiple)),
            ),
          ),
        ),
      ),
    ),
  );
}

function drawChart(canvas: HTMLCanvasElement, series: RoiSeries): void {
  chart?.destroy();
  chart = new Chart<'bar' | 'line'>(canvas, {
    type: 'bar',
    data: {
      labels: series.points.map((p) => formatDay(p.from)),
      datasets: [
        {
          type: 'bar',
          label: 'Revenue saved',
          data: series.points.map((p) => p.revenue_saved),
          backgroundColor: 'rgba(5,150,105,0.7)',
          yAxisID: 'money',
          borderRadius: 3,
        },
        {
          type: 'bar',
          label: 'Programme cost',
          data: series.points.map((p) => p.programme_cost),
          backgroundColor: 'rgba(148,163,184,0.8)',
          yAxisID: 'money',
          borderRadius: 3,
        },
        {
          type: 'line',
          label: 'Net benefit',
          data: series.points.map((p) => p.net_benefit),
          borderColor: '#4f46e5',
          backgroundColor: '#4f46e5',
          yAxisID: 'money',
          tension: 0,
          pointRadius: 2,
        },
        {
          type: 'line',
          label: 'ROI multiple',
          data: series.points.map((p) => p.roi_multiple),
          borderColor: '#f97316',
          backgroundColor: '#f97316',
          borderDash: [5, 4],
          yAxisID: 'multiple',
          tension: 0,
          pointRadius: 2,
          spanGaps: true,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        money: { position: 'left', ticks: { callback: (v) => formatMoney(Number(v)) }, grid: { color: '#eef2f7' } },
        multiple: { position: 'right', ticks: { callback: (v) => formatMultiple(Number(v)) }, grid: { display: false } },
        x: { grid: { display: false } },
      },
      plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } } },
    },
  });
}
