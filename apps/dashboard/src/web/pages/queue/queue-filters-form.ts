import { el } from '../../dom';
import { ALL_STATES, DEFAULT_FILTERS, withFilter, type FilterKey, type QueueFilters } from '../../../logic/queue/queue-filters';

type Option = readonly [value: string, label: string];

const LEVELS: readonly Option[] = [
  ['', 'Any level'],
  ['critical', 'Critical'],
  ['high', 'High'],
  ['medium', 'Medium'],
  ['low', 'Low'],
];
const STATES: readonly Option[] = [
  ['pending,acknowledged', 'Open (pending or acknowledged)'],
  ['pending', 'Pending'],
  ['acknowledged', 'Acknowledged'],
  ['resolved', 'Resolved'],
  ['expired', 'Expired'],
  [ALL_STATES, 'Any state'],
];
const OWNERS: readonly Option[] = [
  ['', 'Anyone'],
  ['me', 'Me'],
  ['none', 'Unassigned'],
  ['person', 'A person…'],
];
const SORTS: readonly Option[] = [
  ['due_at', 'Deadline, soonest first'],
  ['-due_at', 'Deadline, latest first'],
  ['-level', 'Level, most severe first'],
  ['level', 'Level, least severe first'],
  ['-created_at', 'Newest first'],
  ['created_at', 'Oldest first'],
];
const PAGE_SIZES: readonly Option[] = ['25', '50', '100', '200'].map((n) => [n, n] as const);

/** Called with the filters to show and the id of the control that changed (focus goes back to it). */
export type OnFiltersChange = (next: QueueFilters, controlId: string) => void;

/**
 * The queue's filter bar: level, state, owner (anyone, me, unassigned or a named person), overdue
 * only, sort and page size. Each change applies at once (a person's name when the field is left or
 * Enter is pressed) and goes into the URL.
 */
export function filtersForm(filters: QueueFilters, onChange: OnFiltersChange): HTMLFormElement {
  const change = (key: FilterKey, value: string, controlId: string) => onChange(withFilter(filters, key, value), controlId);
  const level = select('queue-level', 'Level', LEVELS, filters.level, (v) => change('level', v, 'queue-level'));
  const state = select('queue-state', 'State', STATES, filters.state, (v) => change('state', v, 'queue-state'));
  const sort = select('queue-sort', 'Sort', SORTS, filters.sort, (v) => change('sort', v, 'queue-sort'));
  const pageSize = select('queue-page-size', 'Per page', PAGE_SIZES, filters.page_size, (v) => change('page_size', v, 'queue-page-size'));

  const named = filters.owner !== '' && filters.owner !== 'me' && filters.owner !== 'none';
  const person = el('input', {
    id: 'queue-owner-person',
    name: 'owner_person',
    value: named ? filters.owner : '',
    autocomplete: 'off',
    placeholder: 'name or e-mail as assigned',
    'data-testid': 'queue-owner-person',
  });
  const personLabel = el('label', { for: 'queue-owner-person', class: 'queue-person', hidden: !named }, 'Person', person);
  const owner = select('queue-owner', 'Owner', OWNERS, named ? 'person' : filters.owner, (v) => {
    if (v !== 'person') return change('owner', v, 'queue-owner');
    personLabel.hidden = false;
    person.focus();
  });
  const applyPerson = () => {
    const name = person.value.trim();
    if (name !== '' && name !== filters.owner) change('owner', name, 'queue-owner-person');
  };
  person.addEventListener('change', applyPerson);
  person.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    applyPerson();
  });

  const overdue = el('input', { id: 'queue-overdue', type: 'checkbox', checked: filters.overdue === 'true', 'data-testid': 'queue-overdue' });
  overdue.addEventListener('change', () => change('overdue', overdue.checked ? 'true' : '', 'queue-overdue'));

  const clear = el('button', { type: 'button', class: 'secondary-dark small', 'data-testid': 'queue-clear-filters' }, 'Clear filters');
  clear.addEventListener('click', () => onChange({ ...DEFAULT_FILTERS, page_size: filters.page_size }, 'queue-clear-filters'));

  const form = el(
    'form',
    { class: 'queue-filters', 'aria-label': 'Filter the queue', 'data-testid': 'queue-filters' },
    level,
    state,
    owner,
    personLabel,
    el('label', { for: 'queue-overdue', class: 'queue-check' }, overdue, 'Overdue only'),
    sort,
    pageSize,
    clear,
  );
  // Enter in the person field applies it (change fires) rather than reloading the page.
  form.addEventListener('submit', (event) => event.preventDefault());
  return form;
}

/** A labelled select; a value from the URL that is none of the options stays shown as it is (the API's 400 then names it). */
function select(id: string, label: string, options: readonly Option[], value: string, onChange: (value: string) => void): HTMLLabelElement {
  const known = options.some(([v]) => v === value);
  const control = el(
    'select',
    { id, name: id, 'data-testid': id },
    ...options.map(([v, text]) => el('option', { value: v }, text)),
    ...(known ? [] : [el('option', { value }, value)]),
  );
  control.value = value;
  control.addEventListener('change', () => onChange(control.value));
  return el('label', { for: id }, label, control);
}
