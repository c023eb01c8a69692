/**
 * The SLA countdown of an alert (the queue's rows, a customer's page): time left to acknowledge it, or how long it is past its
 * deadline. Computed from the deadline and the clock, so the page updates it without asking alerting
 * again. Browser-free, so Node's test runner checks it.
 */
export interface Countdown {
  readonly text: string;
  readonly overdue: boolean;
}

const MINUTE = 60_000;

/** `25 min`, `3 h 10 min`, `2 d 4 h`; under a minute: `less than a minute`. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/**
 * Only a pending alert has a running deadline (alerting's rule: acknowledged, expired and resolved
 * alerts are never overdue), so the others show a dash.
 */
export function slaCountdown(dueAt: string, status: string, now: number): Countdown {
  const due = new Date(dueAt).getTime();
  if (status !== 'pending' || Number.isNaN(due)) return { text: '—', overdue: false };
  const left = due - now;
  return left < 0 ? { text: `overdue by ${formatDuration(left)}`, overdue: true } : { text: `due in ${formatDuration(left)}`, overdue: false };
}
