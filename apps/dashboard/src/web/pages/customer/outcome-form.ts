import { recordOutcome } from '../../customer-api';
import { el } from '../../dom';
import type { CustomerActionContext } from './customer-actions';
import { field, localInputValue, zonedIso } from './form-fields';

/** Records whether the customer churned or stayed, and when that was observed: `POST /v1/outcomes`. */
export function outcomeForm(context: CustomerActionContext): HTMLElement {
  const radio = (value: 'true' | 'false', label: string) =>
    el(
      'label',
      { class: 'radio' },
      el('input', {
        type: 'radio',
        id: value === 'true' ? 'outcome-churned' : 'outcome-stayed',
        name: 'churned',
        value,
        required: true,
        'data-testid': `outcome-${value === 'true' ? 'churned' : 'stayed'}`,
      }),
      ` ${label}`,
    );
  const observedAt = el('input', {
    id: 'outcome-observed-at',
    name: 'observed_at',
    type: 'datetime-local',
    required: true,
    value: localInputValue(new Date()),
    'data-testid': 'outcome-observed-at',
  });
  const choice = el(
    'fieldset',
    { class: 'form-field' },
    el('legend', {}, 'The customer'),
    radio('true', 'churned (cancelled)'),
    radio('false', 'stayed'),
    el('span', { id: 'outcome-churned-error', class: 'field-error' }),
  );
  const form = el(
    'form',
    { class: 'panel action-panel action-form', 'aria-labelledby': 'outcome-title', 'data-testid': 'record-outcome' },
    el('h3', { id: 'outcome-title' }, 'Record an outcome'),
    choice,
    field('Observed (your time zone)', observedAt),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', 'data-testid': 'outcome-save' }, 'Record outcome')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const churned = new FormData(form).get('churned') === 'true';
    const at = zonedIso(observedAt.value);
    void context.run({
      form,
      done: churned ? 'Churn recorded' : 'Stay recorded',
      call: (c) => recordOutcome({ customer_id: context.detail.customer.customer_id, churned, observed_at: at }, c.token),
      appeared: (d) => d.timeline.some((e) => e.kind === 'outcome' && e['churned'] === churned && Date.parse(e.at) === Date.parse(at)),
    });
  });
  return form;
}
