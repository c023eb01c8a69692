import { ApiError } from './api';
import { el } from './dom';
import { signsInWithProvider } from './session';

/** The states every routed page shows the same way: loading, empty, failed, refused. */

export function loadingState(what: string): HTMLElement {
  return el('p', { class: 'state state-loading', role: 'status', 'data-testid': 'state-loading' }, `Loading ${what}…`);
}

export function emptyState(message: string, ...more: (Node | string)[]): HTMLElement {
  return el('div', { class: 'state state-empty', 'data-testid': 'state-empty' }, el('p', {}, message), ...more);
}

export function errorState(what: string, error: unknown, onRetry: () => void): HTMLElement {
  const retry = el('button', { type: 'button', class: 'secondary-dark' }, 'Try again');
  retry.addEventListener('click', onRetry);
  return el(
    'div',
    { class: 'state state-error', role: 'alert', 'data-testid': 'state-error' },
    el('p', {}, `Could not load ${what}: ${describeError(error)}.`),
    retry,
  );
}

/** What a refused or failed request means for the person who made it. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'the token was refused (missing, expired or forged): sign in again';
    if (error.status === 403) return `this needs the admin role, which ${signsInWithProvider() ? 'you do' : 'your token does'} not have`;
    if (error.status === 502 || error.status === 504) return `a service behind monitoring did not answer (${error.message})`;
    const fields = error.fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return (fields && !error.message.includes(fields) ? `${error.message} (${fields})` : error.message) || `HTTP ${error.status}`;
  }
  return error instanceof Error ? error.message : String(error);
}
