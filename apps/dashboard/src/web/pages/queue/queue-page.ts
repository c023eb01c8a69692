import './queue.css';
import { ApiError } from '../../api';
import { forgetToken, storedCredentials } from '../../credentials';
import { el } from '../../dom';
import { keepSlaCountdownsTicking, stopSlaCountdowns } from '../../live-sla-countdown';
import { loadingState } from '../../page-states';
import { acknowledgeWithNote, assignAlert, bulkAct, fetchQueue, resolveAlert, type BulkAction, type QueueAlert, type QueuePage } from '../../queue-api';
import { apiQueryOf, DEFAULT_FILTERS, filtersFromParams, paramsOfFilters, withFilter, type QueueFilters } from '../../../logic/queue/queue-filters';
import { bulkBar } from './queue-bulk-bar';
import { askAssignee, askNote } from './queue-dialogs';
import { filtersForm } from './queue-filters-form';
import { toggleHistory } from './queue-history';
import { pager } from './queue-pager';
import { bulkSummary, failure, refusalOf, signedOut } from './queue-states';
import { queueTable } from './queue-table';
import { tickSla } from './queue-sla';

/** The filter control that changed: focus goes back to it once the page is drawn for the new URL. */
let focusAfterRender: string | null = null;

type Navigate = (params: URLSearchParams) => void;

/**
 * The work queue of the retention workspace: every alert filtered by level, state, owner and
 * deadline, sorted and paged by alerting, each with its SLA countdown; an agent assigns, acknowledges
 * and resolves with a note, one alert or the selected ones at once, and reads what was done to each.
 * The filters live in the URL. Customer-level: it needs the agent role, checked by monitoring and
 * alerting; the page only explains a refusal.
 */
export async function renderQueuePage(container: HTMLElement, params: URLSearchParams, navigate: Navigate): Promise<void> {
  stopSlaCountdowns();
  const filters = filtersFromParams(params);
  const rerender = () => renderQueuePage(container, params, navigate);
  const apply = (next: QueueFilters, controlId: string) => {
    focusAfterRender = controlId;
    navigate(paramsOfFilters(next));
  };
  const notice = el('p', { class: 'queue-notice', role: 'status', 'data-testid': 'queue-notice' });
  const results = el('div', { class: 'queue-results' }, loadingState('the queue'));
  const refresh = el('button', { type: 'button', class: 'secondary-dark small', 'data-testid': 'queue-refresh' }, 'Refresh');
  const heading = el('h2', { class: 'page-title', tabindex: -1 }, 'Work queue');
  container.replaceChildren(
    el('div', { class: 'queue-head' }, heading, refresh),
    el(
      'p',
      { class: 'intro' },
      'Alerts to work, the soonest deadline first: assign them, acknowledge with a note once the customer is contacted, resolve with what was done. A deadline is the alert’s time plus its level’s time to acknowledge.',
    ),
    notice,
    results,
  );
  const credentials = storedCredentials();
  if (!credentials) {
    refresh.hidden = true;
    results.replaceChildren(signedOut('Sign in to see the queue: it names customers.', rerender));
    return;
  }
  container.insertBefore(filtersForm(filters, apply), notice);

  const selected = new Set<string>();
  const say = (message: string, kind: 'ok' | 'error') => {
    notice.textContent = message;
    notice.className = `queue-notice queue-notice-${kind}`;
  };

  const load = async (): Promise<void> => {
    let answer: QueuePage;
    try {
      answer = await fetchQueue(apiQueryOf(filters), credentials.token);
    } catch (error) {
      results.replaceChildren(failure(error, apply, () => void load(), rerender));
      return;
    }
    for (const id of [...selected]) if (!answer.alerts.some((a) => a.alert_id === id)) selected.delete(id);
    results.replaceChildren(...list(answer));
  };

  /**
   * Runs an action, reads the queue again, then says how it went — in that order, so the notice never
   * describes a list that does not show the action yet — keeping focus where it was when that control
   * is still there.
   */
  const act = async (run: (token: string) => Promise<string>): Promise<void> => {
    const current = storedCredentials();
    if (!current) return void rerender();
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset['testid'] : undefined;
    let outcome: [string, 'ok' | 'error'];
    try {
      outcome = [await run(current.token), 'ok'];
    } catch (error) {
      outcome = [`Refused: ${refusalOf(error)}.`, 'error'];
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) forgetToken(error.status);
    }
    await load();
    say(...outcome);
    const again = focused ? container.querySelector<HTMLElement>(`[data-testid="${CSS.escape(focused)}"]`) : null;
    (again && !(again as HTMLButtonElement).disabled ? again : heading).focus();
  };

  const bar = bulkBar(
    (action) => void bulk(action),
    () => {
      selected.clear();
      void load();
    },
  );
  const bulk = async (action: BulkAction) => {
    const ids = [...selected];
    const note = await askNote({
      title: `${action === 'resolve' ? 'Resolve' : 'Acknowledge'} ${ids.length === 1 ? '1 alert' : `${ids.length} alerts`}?`,
      what:
        action === 'resolve'
          ? 'Each selected alert is resolved with this note.'
          : 'Each selected pending alert is acknowledged with this note; those already acknowledged stay as they are.',
      confirmLabel: action === 'resolve' ? 'Resolve all' : 'Acknowledge all',
      required: action === 'resolve',
    });
    if (note === null) return;
    await act(async (token) => {
      const answer = await bulkAct(action, ids, note, token);
      selected.clear();
      return bulkSummary(answer);
    });
  };

  const list = (answer: QueuePage): HTMLElement[] => {
    bar.update(selected.size);
    if (answer.alerts.length === 0) {
      const clear = el('button', { type: 'button', class: 'secondary-dark' }, 'Clear filters');
      clear.addEventListener('click', () => apply({ ...DEFAULT_FILTERS, page_size: filters.page_size }, 'queue-clear-filters'));
      return [
        el(
          'div',
          { class: 'state state-empty', 'data-testid': 'state-empty' },
          el('p', {}, answer.total > 0 ? 'No alerts on this page: it is past the last one.' : 'No alerts match these filters.'),
          clear,
        ),
      ];
    }
    const table = queueTable(answer.alerts, Date.now(), {
      isSelected: (id) => selected.has(id),
      onSelect: (id, on) => {
        if (on) selected.add(id);
        else selected.delete(id);
        bar.update(selected.size);
      },
      onAssignToMe: (alert) =>
        void act(async (token) => `The alert for ${alert.customer_id} is assigned to ${(await assignAlert(alert.alert_id, 'me', token)).assignee ?? 'you'}.`),
      onAssign: (alert) => void assignTo(alert),
      onAcknowledge: (alert) => void acknowledge(alert),
      onResolve: (alert) => void resolve(alert),
      onHistory: (alert, toggle, panel) => void toggleHistory(alert.alert_id, toggle, panel, storedCredentials()?.token ?? ''),
    });
    return [
      bar.node,
      table,
      pager(answer.page, answer.page_size, answer.total, answer.alerts.length, (page) =>
        apply(withFilter(filters, 'page', String(page)), page > answer.page ? 'queue-next' : 'queue-previous'),
      ),
    ];
  };

  const assignTo = async (alert: QueueAlert) => {
    const person = await askAssignee(alert.customer_id);
    if (person)
      await act(async (token) => `The alert for ${alert.customer_id} is assigned to ${(await assignAlert(alert.alert_id, person, token)).assignee ?? person}.`);
  };
  const acknowledge = async (alert: QueueAlert) => {
    const note = await askNote({
      title: `Acknowledge the alert for ${alert.customer_id}?`,
      what: 'Acknowledging says someone is on it: the SLA clock stops.',
      confirmLabel: 'Acknowledge',
      required: false,
    });
    if (note !== null)
      await act(async (token) => (await acknowledgeWithNote(alert.alert_id, note, token), `The alert for ${alert.customer_id} is acknowledged.`));
  };
  const resolve = async (alert: QueueAlert) => {
    const note = await askNote({
      title: `Resolve the alert for ${alert.customer_id}?`,
      what: 'Resolving closes the alert; say what was done for the customer.',
      confirmLabel: 'Resolve',
      required: true,
    });
    if (note !== null) await act(async (token) => (await resolveAlert(alert.alert_id, note, token), `The alert for ${alert.customer_id} is resolved.`));
  };

  refresh.addEventListener('click', () => void load());
  await load();
  keepSlaCountdownsTicking(results, tickSla);
  restoreFocus(container);
}

/** After a filter change the workspace focuses the page's heading; a keyboard user stays on the control they changed instead. */
function restoreFocus(container: HTMLElement): void {
  const id = focusAfterRender;
  focusAfterRender = null;
  if (id) window.setTimeout(() => container.querySelector<HTMLElement>(`#${CSS.escape(id)}, [data-testid="${CSS.escape(id)}"]`)?.focus(), 0);
}
