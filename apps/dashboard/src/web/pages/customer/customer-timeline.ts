import type { TimelineEntry, TimelineKind } from '../../customer-api';
import { el } from '../../dom';
import { formatMoney, formatTime } from '../../format';

const KINDS: readonly { kind: TimelineKind | 'all'; label: string }[] = [
  { kind: 'all', label: 'Everything' },
  { kind: 'prediction', label: 'Predictions' },
  { kind: 'alert', label: 'Alerts' },
  { kind: 'notification', label: 'Notifications' },
  { kind: 'crm', label: 'CRM' },
  { kind: 'intervention', label: 'Interventions' },
  { kind: 'outcome', label: 'Outcomes' },
];

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** What the summary line does not say: an alert's note and deadline, an intervention's channel, offer and cost. */
function details(entry: TimelineEntry): string[] {
  if (entry.kind === 'alert') return [text(entry['note']) ? `“${String(entry['note'])}”` : null].filter((d): d is string => d !== null);
  if (entry.kind === 'intervention') {
    const cost = typeof entry['cost'] === 'number' ? `cost ${formatMoney(entry['cost'])}` : null;
    return [
      text(entry['channel']) && `via ${String(entry['channel'])}`,
      text(entry['offer']) && `offered ${String(entry['offer'])}`,
      cost,
      text(entry['source']) && `source ${String(entry['source'])}`,
    ].filter((d): d is string => typeof d === 'string');
  }
  if (entry.kind === 'outcome') return [text(entry['source']) ? `source ${String(entry['source'])}` : null].filter((d): d is string => d !== null);
  return [];
}

/**
 * The customer's history, newest first (monitoring's order): predictions, every alert change with who
 * and their note, outcomes and interventions, filtered by kind; times in the viewer's zone.
 */
export function customerTimeline(entries: readonly TimelineEntry[], initial: TimelineKind | 'all' = 'all'): HTMLElement {
  // It scrolls on its own: focusable, so a keyboard can scroll it too.
  const list = el('ol', { class: 'timeline', 'data-testid': 'timeline', tabindex: 0, 'aria-labelledby': 'timeline-title' });
  const filter = el('select', { id: 'timeline-filter', 'data-testid': 'timeline-filter' }, ...KINDS.map((k) => el('option', { value: k.kind }, k.label)));
  filter.value = initial;
  const count = el('span', { class: 'muted', 'aria-live': 'polite' });
  const show = () => {
    const shown = entries.filter((e) => filter.value === 'all' || e.kind === filter.value);
    count.textContent = `${shown.length} of ${entries.length}`;
    list.replaceChildren(
      ...(shown.length === 0
        ? [el('li', { class: 'timeline-empty muted' }, 'Nothing of this kind yet.')]
        : shown.map((entry) =>
            el(
              'li',
              { class: `timeline-entry timeline-${entry.kind}`, 'data-testid': `timeline-${entry.kind}`, 'data-at': entry.at },
              el('time', { datetime: entry.at }, formatTime(entry.at)),
              el('span', { class: `badge badge-kind-${entry.kind}` }, entry.kind),
              el('span', { class: 'timeline-summary' }, entry.summary),
              ...details(entry).map((d) => el('span', { class: 'timeline-detail' }, d)),
            ),
          )),
    );
  };
  filter.addEventListener('change', show);
  show();
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'timeline-title' },
    el(
      'div',
      { class: 'panel-head' },
      el('h3', { id: 'timeline-title' }, 'Timeline'),
      el('label', { for: 'timeline-filter', class: 'inline-label' }, 'Show ', filter),
      count,
    ),
    list,
  );
}
