import { recordIntervention } from '../../customer-api';
import { el } from '../../dom';
import type { CustomerActionContext } from './customer-actions';
import { field, localInputValue, zonedIso } from './form-fields';

const CHANNELS = ['phone', 'email', 'chat', 'in person', 'sms'];

/** Records what the agent did (action, channel, offer, cost, when): `POST /v1/interventions` as `performed_by` the signed-in person. */
export function interventionForm(context: CustomerActionContext): HTMLElement {
  const { customer, recommended_action: recommended } = context.detail;
  const action = el('input', {
    id: 'intervention-action',
    name: 'action',
    required: true,
    maxlength: 200,
    value: recommended?.action.replace(/_/g, ' ') ?? '',
    'data-testid': 'intervention-action',
  });
  const channel = el('input', {
    id: 'intervention-channel',
    name: 'channel',
    maxlength: 100,
    list: 'intervention-channels',
    'data-testid': 'intervention-channel',
  });
  const offer = el('input', { id: 'intervention-offer', name: 'offer', maxlength: 200, 'data-testid': 'intervention-offer' });
  const cost = el('input', {
    id: 'intervention-cost',
    name: 'cost',
    type: 'number',
    min: 0,
    step: 0.01,
    required: true,
    value: recommended?.cost ?? 0,
    'data-testid': 'intervention-cost',
  });
  const performedAt = el('input', {
    id: 'intervention-performed-at',
    name: 'performed_at',
    type: 'datetime-local',
    required: true,
    value: localInputValue(new Date()),
    'data-testid': 'intervention-performed-at',
  });
  const form = el(
    'form',
    { class: 'panel action-panel action-form', 'aria-labelledby': 'intervention-title', 'data-testid': 'record-intervention' },
    el('h3', { id: 'intervention-title' }, 'Record an intervention'),
    field('What was done', action, 'prefilled with the recommended action'),
    field('Channel', channel),
    el('datalist', { id: 'intervention-channels' }, ...CHANNELS.map((c) => el('option', { value: c }))),
    field('Offer (optional)', offer),
    field('Cost (USD)', cost),
    field('When (your time zone)', performedAt),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', 'data-testid': 'intervention-save' }, 'Record intervention')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const at = zonedIso(performedAt.value);
    const what = action.value.trim();
    void context.run({
      form,
      done: 'Intervention recorded',
      call: (c) =>
        recordIntervention(
          {
            customer_id: customer.customer_id,
            performed_by: c.name,
            performed_at: at,
            action: what,
            cost: cost.valueAsNumber,
            ...(channel.value.trim() ? { channel: channel.value.trim() } : {}),
            ...(offer.value.trim() ? { offer: offer.value.trim() } : {}),
          },
          c.token,
        ),
      appeared: (d) => d.timeline.some((e) => e.kind === 'intervention' && e['action'] === what && Date.parse(e.at) === Date.parse(at)),
    });
  });
  return form;
}
