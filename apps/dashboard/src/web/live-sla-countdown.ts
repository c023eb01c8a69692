import './live-sla-countdown.css';
import { el } from './dom';
import { slaCountdown } from '../logic/alerts/sla-countdown';

/** The clock of the countdowns on screen: one for the page shown, so drawing a page stops the previous one's. */
let ticker: number | undefined;

/**
 * An alert's SLA countdown that its page keeps current without asking alerting again: the element
 * carries the deadline and the alert's status, and `tickSlaCountdowns` repaints it from the clock.
 * Past the deadline it reads "⚠ Overdue" besides turning `sla-overdue`, so it says so without colour.
 */
export function slaCountdownElement<K extends 'span' | 'td'>(
  tag: K,
  alert: { readonly dueAt: string; readonly status: string },
  now: number,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = el(tag, { ...attributes, 'data-due': alert.dueAt, 'data-status': alert.status });
  paint(node, now);
  return node;
}

/** Moves every countdown under `root` to `now`. */
export function tickSlaCountdowns(root: ParentNode, now: number): void {
  for (const node of root.querySelectorAll<HTMLElement>('[data-due]')) paint(node, now);
}

/**
 * Ticks the countdowns under `root` every second while it is shown, replacing the clock of the page
 * drawn before. `tick` repaints them (a page may mark more than the countdown).
 */
export function keepSlaCountdownsTicking(root: HTMLElement, tick: (root: HTMLElement, now: number) => void = tickSlaCountdowns): void {
  // A drawing that finished after a newer one replaced it must not take the newer one's clock away.
  if (!shown(root)) return;
  window.clearInterval(ticker);
  // Its own id: the clock of a page that is left stops itself, whichever clock is current by then.
  const clock = window.setInterval(() => (shown(root) ? tick(root, Date.now()) : window.clearInterval(clock)), 1000);
  ticker = clock;
}

/** Stops the countdowns' clock: a page is being drawn in place of the one that ticked. */
export function stopSlaCountdowns(): void {
  window.clearInterval(ticker);
  ticker = undefined;
}

/** Replaced by another page, or hidden behind the overview (which leaves the last page in the document and draws it afresh on return). */
function shown(root: HTMLElement): boolean {
  return root.isConnected && !root.closest('[hidden]');
}

function paint(node: HTMLElement, now: number): void {
  const countdown = slaCountdown(node.dataset['due'] ?? '', node.dataset['status'] ?? '', now);
  node.dataset['overdue'] = String(countdown.overdue);
  node.classList.toggle('sla-overdue', countdown.overdue);
  if (node.dataset['shown'] === countdown.text) return;
  node.dataset['shown'] = countdown.text;
  node.replaceChildren(
    ...(countdown.overdue ? [el('span', { class: 'overdue-flag' }, el('span', { 'aria-hidden': 'true' }, '⚠ '), 'Overdue'), ' '] : []),
    el('span', { class: 'sla-text' }, countdown.text),
  );
}
