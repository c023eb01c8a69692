import { el } from '../../dom';
import { formatTime } from '../../format';
import { describeError } from '../../page-states';
import { fetchHistory, type HistoryEntry } from '../../queue-api';

const ACTIONS: Readonly<Record<string, string>> = {
  'alert.raise': 'Raised',
  'alert.assign': 'Assigned',
  'alert.acknowledge': 'Acknowledged',
  'alert.resolve': 'Resolved',
  'alert.expire': 'Acknowledgment expired',
};

/**
 * Opens or closes an alert's history under its row: who did what and when (in the viewer's zone),
 * with their notes, oldest first. Read from alerting each time it opens, so it includes what was
 * done a moment ago.
 */
export async function toggleHistory(alertId: string, toggle: HTMLButtonElement, panel: HTMLElement, token: string): Promise<void> {
  const open = panel.hidden;
  panel.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
  if (!open) return;
  panel.replaceChildren(el('p', { class: 'muted', role: 'status' }, 'Loading the history…'));
  try {
    const entries = await fetchHistory(alertId, token);
    panel.replaceChildren(el('h3', {}, 'History'), el('ol', { class: 'queue-history-list' }, ...entries.map(entry)));
  } catch (error) {
    panel.replaceChildren(el('p', { role: 'alert' }, `Could not load the history: ${describeError(error)}.`));
  }
}

function entry(item: HistoryEntry): HTMLLIElement {
  const assignee = item.action === 'alert.assign' ? item.details['assignee'] : undefined;
  const what = `${ACTIONS[item.action] ?? item.action}${assignee === null ? ' (unassigned)' : typeof assignee === 'string' ? ` to ${assignee}` : ''}`;
  return el(
    'li',
    { 'data-action': item.action },
    el('time', { datetime: item.at }, formatTime(item.at)),
    ' · ',
    el('strong', {}, what),
    ` by ${item.by ?? item.actor}`,
    ...(item.note ? [el('blockquote', { class: 'queue-note' }, item.note)] : []),
  );
}
