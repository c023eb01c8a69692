import { acknowledgeWithNote, resolveWithNote } from '../../customer-api';
import { el } from '../../dom';
import { alertSla } from './alert-sla';
import type { CustomerActionContext } from './customer-actions';
import { field } from './form-fields';

/** The open alert: its level, state and SLA deadline, and acknowledging or resolving it with a note. */
export function alertActions(context: CustomerActionContext, now = Date.now()): HTMLElement {
  const alert = context.detail.customer.alert;
  const section = (...children: (Node | string)[]) =>
    el('section', { class: 'panel action-panel', 'aria-labelledby': 'alert-actions-title' }, el('h3', { id: 'alert-actions-title' }, 'Alert'), ...children);
  if (!alert || alert.state === 'resolved')
    return section(
      el(
        'p',
        { class: 'muted', 'data-testid': 'alert-none' },
        alert ? 'The last alert is resolved; none is open.' : 'No alert has been raised for this customer.',
      ),
    );
  const note = el('textarea', { id: 'alert-note', name: 'note', rows: 3, maxlength: 2000, 'data-testid': 'alert-note' });
  const ack = el('button', { type: 'submit', value: 'acknowledge', 'data-testid': 'alert-ack', disabled: alert.state !== 'pending' }, 'Acknowledge');
  const resolve = el('button', { type: 'submit', value: 'resolve', class: 'secondary-dark', 'data-testid': 'alert-resolve' }, 'Resolve');
  const form = el(
    'form',
    { class: 'action-form', 'aria-label': 'Act on the alert', 'data-testid': 'alert-form' },
    el('p', {}, el('span', { class: `badge badge-${alert.level}` }, alert.level), ` ${alert.state}`, alertSla(alert, now, 'alert-sla')),
    field('Note (kept with the alert and on the timeline)', note),
    el('div', { class: 'form-actions' }, ack, resolve),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const resolving = (event.submitter as HTMLButtonElement | null)?.value === 'resolve';
    const text = note.value.trim();
    void context.run({
      form,
      done: resolving ? 'Alert resolved' : 'Alert acknowledged',
      call: (c) => (resolving ? resolveWithNote(alert.alert_id, c.name, text, c.token) : acknowledgeWithNote(alert.alert_id, c.name, text, c.token)),
      appeared: (d) =>
        d.timeline.some((e) => e.kind === 'alert' && e['alert_id'] === alert.alert_id && e['change'] === (resolving ? 'resolved' : 'acknowledged')),
    });
  });
  return section(form);
}
