import type { DashboardData } from './api';
import { byId, el } from './dom';
import { formatAge } from './format';

const STATUS_BADGE: Record<string, string> = { succeeded: 'badge-ok', running: 'badge-medium', retrying: 'badge-high', failed: 'badge-critical' };

/** One line per scheduled job: its newest run's status, attempt and when it started and ended (GET /v1/jobs/runs has the results). */
export function renderJobs(jobs: DashboardData['jobs']): void {
  const body = byId('jobs-body');
  body.replaceChildren(
    ...(jobs.length === 0
      ? [el('tr', {}, el('td', { class: 'muted', colspan: '4' }, 'No job has run yet.'))]
      : jobs.map((j) =>
          el(
            'tr',
            { 'data-testid': `job-${j.job}` },
            el('td', {}, el('code', {}, j.job)),
            el(
              'td',
              {},
              el('span', { class: `badge ${STATUS_BADGE[j.status] ?? 'badge-medium'}` }, j.status),
              j.attempt > 0 ? ` attempt ${j.attempt + 1}` : '',
            ),
            el('td', {}, formatAge(j.started_at)),
            el('td', {}, j.finished_at ? formatAge(j.finished_at) : '—'),
          ),
        )),
  );
}
