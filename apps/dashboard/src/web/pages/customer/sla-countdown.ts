/** The time left to an alert's SLA deadline, as an agent reads it: pure, so it is unit-tested without a browser. */

export interface Countdown {
  readonly overdue: boolean;
  readonly text: string;
}

const MINUTE = 60_000;

function span(ms: number): string {
  const minutes = Math.floor(ms / MINUTE);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${rest} min`;
  return `${rest} min`;
}

/** "due in 3 h 20 min", or "overdue by 1 d 2 h"; whole minutes, rounded towards the deadline. */
export function slaCountdown(dueAt: string, now: number): Countdown {
  const left = new Date(dueAt).getTime() - now;
  if (Number.isNaN(left)) return { overdue: false, text: 'no deadline' };
  return left >= 0 ? { overdue: false, text: `due in ${span(left)}` } : { overdue: true, text: `overdue by ${span(-left)}` };
}
