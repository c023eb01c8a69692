import { Chart, type PointStyle } from 'chart.js';
import '../../charts';
import type { ScorePoint } from '../../customer-api';
import { el } from '../../dom';
import { formatDay, formatInteger, formatTime } from '../../format';

const COLOURS = ['#4f46e5', '#f97316', '#0891b2', '#db2777', '#65a30d', '#7c3aed'];
const POINT_STYLES: PointStyle[] = ['circle', 'rectRot', 'triangle', 'rect', 'star', 'crossRot'];

const DAY_MS = 86_400_000;
let chart: Chart<'line', { x: number; y: number }[]> | undefined;

/** One series per model version (and role): where the version changes, the colour and the point's shape change, and the legend names both. */
export function seriesByVersion(history: readonly ScorePoint[]): { label: string; points: ScorePoint[] }[] {
  const series = new Map<string, ScorePoint[]>();
  for (const point of history) {
    const label = point.role === 'shadow' ? `${point.model_version} (shadow)` : point.model_version;
    series.set(label, [...(series.get(label) ?? []), point]);
  }
  return [...series].map(([label, points]) => ({ label, points }));
}

/** The customer's risk score over time on a time axis (timestamps, labelled in the viewer's zone), with the same points as a table. */
export function scoreHistoryChart(history: readonly ScorePoint[]): { section: HTMLElement; draw: () => void } {
  const series = seriesByVersion(history);
  const canvas = el('canvas', {
    'data-testid': 'score-history-chart',
    'data-points': history.length,
    'data-versions': series.map((s) => s.label).join(','),
    role: 'img',
    'aria-label': `Risk score over time, ${history.length} predictions by ${series.length} model version(s); the points are in the table below`,
  });
  const table = el(
    'table',
    { 'data-testid': 'score-history-table' },
    el('caption', {}, 'Every score, newest first'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Scored'),
        el('th', { scope: 'col', class: 'num' }, 'Score'),
        el('th', { scope: 'col' }, 'Level'),
        el('th', { scope: 'col' }, 'Model version'),
      ),
    ),
    el(
      'tbody',
      {},
      ...[...history]
        .reverse()
        .map((p) =>
          el(
            'tr',
            {},
            el('td', {}, formatTime(p.scored_at)),
            el('td', { class: 'num' }, formatInteger(p.risk_score)),
            el('td', {}, p.risk_level),
            el('td', {}, el('code', {}, p.role === 'shadow' ? `${p.model_version} (shadow)` : p.model_version)),
          ),
        ),
    ),
  );
  const section = el(
    'section',
    { class: 'panel', 'aria-labelledby': 'score-history-title' },
    el(
      'div',
      { class: 'panel-head' },
      el('h3', { id: 'score-history-title' }, 'Score history'),
      el('span', { class: 'muted' }, 'one point per prediction; colour and shape name the model version'),
    ),
    el('div', { class: 'chart chart-score-history' }, canvas),
    el(
      'details',
      {},
      el('summary', {}, 'The scores as a table'),
      el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Score history table' }, table),
    ),
  );
  // The time axis spans at least a day either side of the scores: a lone score (or several within a
  // minute) would otherwise stretch the linear scale over years.
  const times = series.flatMap((s) => s.points.map((p) => new Date(p.scored_at).getTime()));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = last - first < DAY_MS ? { min: first - DAY_MS, max: last + DAY_MS } : {};
  const draw = () => {
    chart?.destroy();
    chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.points.map((p) => ({ x: new Date(p.scored_at).getTime(), y: p.risk_score })),
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          pointStyle: POINT_STYLES[i % POINT_STYLES.length],
          pointRadius: 5,
          borderWidth: 2,
          tension: 0,
        })),
      },
      options: {
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: {
            type: 'linear',
            ...span,
            ticks: { maxTicksLimit: 6, callback: (value) => formatDay(new Date(Number(value)).toISOString()) },
            grid: { display: false },
          },
          y: { min: 0, max: 100, title: { display: true, text: 'risk score (0–100)' }, grid: { color: '#eef2f7' } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } },
          tooltip: { callbacks: { title: (items) => (items[0] ? formatTime(new Date(items[0].parsed.x ?? 0).toISOString()) : '') } },
        },
      },
    });
  };
  return { section, draw };
}
