import { ApiError } from '../../api';
import { askForCredentials, forgetToken } from '../../credentials';
import { el } from '../../dom';
import { errorState } from '../../page-states';
import type { BulkAnswer } from '../../queue-api';
import { signsInWithProvider } from '../../session';
import { DEFAULT_FILTERS, type QueueFilters } from '../../../logic/queue/queue-filters';

/** What the queue page says when it cannot show the queue, and what an action's answer means. */

const SIGN_IN_REASON = 'The work queue names customers: it needs your name and an API token with the agent role.';

export function signedOut(reason: string, rerender: () => void): HTMLElement {
  const button = el('button', { type: 'button', 'data-testid': 'queue-page-sign-in' }, 'Sign in');
  button.addEventListener('click', () => void askForCredentials(SIGN_IN_REASON).then((credentials) => credentials && rerender()));
  return el('div', { class: 'state state-empty', 'data-testid': 'queue-signed-out' }, el('p', {}, reason), button);
}

export function failure(error: unknown, apply: (next: QueueFilters, controlId: string) => void, retry: () => void, rerender: () => void): HTMLElement {
  if (!(error instanceof ApiError)) return errorState('the queue', error, retry);
  if (error.status === 401) {
    forgetToken(401);
    return signedOut(
      signsInWithProvider() ? 'Your session has ended: sign in again.' : 'The token was refused (missing, expired or forged): sign in again.',
      rerender,
    );
  }
  if (error.status === 403) {
    forgetToken(403);
    const button = el('button', { type: 'button', 'data-testid': 'queue-page-sign-in' }, 'Sign in as someone else');
    button.addEventListener('click', () => void askForCredentials(SIGN_IN_REASON).then((credentials) => credentials && rerender()));
    return el(
      'div',
      { class: 'state state-error', role: 'alert', 'data-testid': 'queue-forbidden' },
      el('p', {}, 'The work queue names customers, so it needs the agent or admin role, and yours has neither. Ask an administrator for the agent role.'),
      button,
    );
  }
  if (error.status === 400) {
    const clear = el('button', { type: 'button', class: 'secondary-dark' }, 'Clear filters');
    clear.addEventListener('click', () => apply(DEFAULT_FILTERS, 'queue-clear-filters'));
    return el(
      'div',
      { class: 'state state-error', role: 'alert', 'data-testid': 'queue-bad-filter' },
      el('p', {}, `A filter in the link was refused — ${error.message}. Change it above, or clear the filters.`),
      clear,
    );
  }
  return errorState('the queue', error, retry);
}

export function refusalOf(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 401) return 'you are signed out (the token or session was refused)';
  if (error.status === 403) return 'this needs the agent or admin role';
  if (error.status === 409) return `the alert changed meanwhile (${error.message})`;
  return error.message || `HTTP ${error.status}`;
}

export function bulkSummary(answer: BulkAnswer): string {
  const done = answer.action === 'resolve' ? 'resolved' : 'acknowledged';
  const parts = [`${answer.changed} ${done}`];
  if (answer.unchanged > 0) parts.push(`${answer.unchanged} already ${done}`);
  if (answer.failed > 0)
    parts.push(
      `${answer.failed} failed (${answer.results
        .filter((r) => r.result === 'not_found' || r.result === 'conflict')
        .map((r) => `${r.alert_id}: ${r.result}`)
        .join(', ')})`,
    );
  return `Bulk ${answer.action}: ${parts.join(', ')}.`;
}
