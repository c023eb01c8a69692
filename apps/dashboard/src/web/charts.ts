import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { DashboardData, FeatureDrift, RiskLevel } from './api';

// Only the pieces the dashboard draws, so the bundle stays small.
Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.color = '#475569';
// Redrawing every 30 s should not animate the whole chart again.
Chart.defaults.animation = false;

export const LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];
export const LEVEL_COLOURS: Readonly<Record<RiskLevel, string>> = { low: '#22c55e', medium: '#eab308', high: '#f97316', critical: '#dc2626' };

/** Keeps one Chart per canvas and updates its data in place on every refresh. */
export class DashboardCharts {
  private distribution: Chart<'doughnut'> | undefined;
  private trend: Chart<'bar' | 'line'> | undefined;
  private drift: Chart<'bar'> | undefined;

  renderRiskDistribution(canvas: HTMLCanvasElement, data: DashboardData['risk_distribution']): void {
    const values = LEVELS.map((level) => data[level] ?? 0);
    if (this.distribution) {
      this.distribution.data.datasets[0]!.data = values;
      this.distribution.update();
      return;
    }
    this.distribution = new Chart(canvas, {
      type: 'doughnut',
      data: {
        labels: LEVELS.map((l) => l[0]!.toUpperCase() + l.slice(1)),
        datasets: [{ data: values, backgroundColor: LEVELS.map((l) => LEVEL_COLOURS[l]), borderWidth: 2, borderColor: '#fff' }],
      },
      options: {
        maintainAspectRatio: false,
        cutout: '62%',
        plugins: { legend: { position: 'right', labels: { usePointStyle: true, boxWidth: 8 } } },
      },
    });
  }

  renderScoreTrend(canvas: HTMLCanvasElement, trend: DashboardData['score_trend']): void {
    const labels = trend.map((d) => d.day.slice(5));
    const predictions = trend.map((d) => d.predictions);
    const average = trend.map((d) => Math.round(d.average_risk_score * 10) / 10);
    if (this.trend) {
      this.trend.data.labels = labels;
      this.trend.data.datasets[0]!.data = average;
      this.trend.data.datasets[1]!.data = predictions;
      this.trend.update();
      return;
    }
    this.trend = new Chart<'bar' | 'line'>(canvas, {
      type: 'line',
      data: {
        labels,
        datasets: [
          {
            type: 'line',
            label: 'Average risk score',
            data: average,
            yAxisID: 'score',
            borderColor: '#4f46e5',
            backgroundColor: 'rgba(79,70,229,0.12)',
            fill: true,
            tension: 0.3,
            pointRadius: 3,
          },
          { type: 'bar', label: 'Predictions', data: predictions, yAxisID: 'count', backgroundColor: 'rgba(148,163,184,0.45)', borderRadius: 3 },
        ],
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          score: { position: 'left', min: 0, max: 100, title: { display: true, text: 'risk score (0–100)' }, grid: { color: '#eef2f7' } },
          count: { position: 'right', beginAtZero: true, title: { display: true, text: 'predictions' }, grid: { display: false } },
          x: { grid: { display: false } },
        },
        plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } } },
      },
    });
  }

  /** The features with the highest PSI, against the breach threshold. */
  renderDrift(canvas: HTMLCanvasElement, features: readonly FeatureDrift[], threshold: number): void {
    const top = [...features].sort((a, b) => b.psi - a.psi).slice(0, 8);
    const labels = top.map((f) => f.subject);
    const values = top.map((f) => Math.round(f.psi * 10_000) / 10_000);
    const colours = top.map((f) => (f.breached ? '#dc2626' : f.psi > threshold / 2.5 ? '#eab308' : '#0ea5e9'));
    if (this.drift) {
      this.drift.data.labels = labels;
      this.drift.data.datasets[0]!.data = values;
      this.drift.data.datasets[0]!.backgroundColor = colours;
      this.drift.update();
      return;
    }
    this.drift = new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets: [{ label: 'PSI', data: values, backgroundColor: colours, borderRadius: 3 }] },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, suggestedMax: threshold, grid: { color: '#eef2f7' } }, y: { grid: { display: false } } },
        plugins: { legend: { display: false } },
      },
    });
  }
}
