import { el } from '../../dom';
import type { CustomerFilterOptions, FieldProblem } from '../../customers-api';
import { attributeFilters, conditionsOf } from './attribute-filters';
import { clearedFilter, DEFAULT_SORT, isFiltered, PAGE_SIZES, withFilter, type CustomerFilter } from '../../../logic/customers/customer-filter';

const SORT_CHOICES = [
  ['-score', 'Score, highest first'],
  ['score', 'Score, lowest first'],
  ['-score_change', 'Score change, biggest rise first'],
  ['score_change', 'Score change, biggest fall first'],
  ['-revenue_at_risk', 'Revenue at risk, highest first'],
  ['revenue_at_risk', 'Revenue at risk, lowest first'],
] as const;

const LABELS: Readonly<Record<string, string>> = { none: 'Never alerted' };
const labelOf = (value: string) => LABELS[value] ?? `${value.charAt(0).toUpperCase()}${value.slice(1)}`;
/** Wide enough for the filters beside the table (styles.css); narrower, they fold away unless in use. */
const WIDE = '(min-width: 981px)';

/**
 * The list's search and filters in one form: Enter in the search box or "Apply" shows the list for
 * them (a new URL, so Back returns to the previous filter); "Clear filters" keeps the sort.
 */
export function filterForm(filter: CustomerFilter, options: CustomerFilterOptions, apply: (filter: CustomerFilter) => void): HTMLFormElement {
  const q = el('input', {
    type: 'search',
    id: 'customers-q',
    name: 'q',
    value: filter.q,
    autocomplete: 'off',
    'data-testid': 'customers-search',
    'aria-describedby': 'customers-q-hint',
  });
  const scoreMin = el('input', {
    type: 'number',
    id: 'customers-score-min',
    min: 0,
    max: 100,
    step: 1,
    value: filter.scoreMin,
    inputmode: 'numeric',
    'data-testid': 'customers-score-min',
  });
  const scoreMax = el('input', {
    type: 'number',
    id: 'customers-score-max',
    min: 0,
    max: 100,
    step: 1,
    value: filter.scoreMax,
    inputmode: 'numeric',
    'data-testid': 'customers-score-max',
  });
  const arm = select('customers-arm', [['', 'Any arm'], ...pairs(withMissing(options.arms, [filter.arm]))], filter.arm);
  const crmTask = select(
    'customers-crm-task',
    [
      ['', 'Either'],
      ['open', 'Open CRM task'],
      ['none', 'No open CRM task'],
    ],
    filter.crmTask,
  );
  const sort = select(
    'customers-sort',
    SORT_CHOICES.some(([v]) => v === filter.sort) ? SORT_CHOICES : [...SORT_CHOICES, [filter.sort, filter.sort]],
    filter.sort,
  );
  const pageSize = select('customers-page-size', pairs(withMissing(PAGE_SIZES, [filter.pageSize])), filter.pageSize);
  const attributes = attributeFilters(options.attributes, filter.attributes);
  const clear = el('button', { type: 'button', class: 'secondary-dark', 'data-testid': 'customers-clear' }, 'Clear filters');
  const form = el(
    'form',
    { class: 'customer-filters', 'aria-label': 'Search and filters', 'data-testid': 'customers-filters', novalidate: true },
    el(
      'div',
      { class: 'filter-field filter-search', 'data-field': 'q' },
      el('label', { for: 'customers-q' }, 'Search'),
      q,
      el('p', { id: 'customers-q-hint', class: 'hint' }, 'A customer id’s beginning, or part of a text attribute; Enter searches.'),
    ),
    el(
      'details',
      { class: 'more-filters', open: window.matchMedia(WIDE).matches || isFiltered({ ...filter, q: '' }) || filter.sort !== DEFAULT_SORT },
      el('summary', { 'data-testid': 'customers-more-filters' }, 'Filters and sort'),
      el(
        'div',
        { class: 'more-filters-body' },
        checkGroup('Risk level', 'risk_level', 'customers-risk', options.risk_levels, filter.riskLevels),
        el(
          'fieldset',
          { class: 'filter-group' },
          el('legend', {}, 'Score (0–100)'),
          el(
            'div',
            { class: 'inline' },
            field('score_min', 'customers-score-min', 'From', scoreMin),
            field('score_max', 'customers-score-max', 'To', scoreMax),
          ),
        ),
        checkGroup('Alert state', 'alert_state', 'customers-alert', options.alert_states, filter.alertStates),
        field('arm', 'customers-arm', 'Experiment arm', arm),
        field('crm_task', 'customers-crm-task', 'CRM task', crmTask),
        attributes,
        field('sort', 'customers-sort', 'Sort by', sort),
        field('page_size', 'customers-page-size', 'Rows per page', pageSize),
      ),
    ),
    el('div', { class: 'filter-actions' }, el('button', { type: 'submit', 'data-testid': 'customers-apply' }, 'Apply'), clear),
  );
  const checked = (name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((c) => c.value);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(
      withFilter(filter, {
        q: q.value,
        riskLevels: checked('risk_level'),
        scoreMin: scoreMin.value,
        scoreMax: scoreMax.value,
        alertStates: checked('alert_state'),
        arm: arm.value,
        crmTask: crmTask.value,
        attributes: conditionsOf(attributes),
        sort: sort.value,
        pageSize: pageSize.value,
      }),
    );
  });
  clear.addEventListener('click', () => apply(clearedFilter(filter)));
  return form;
}

/**
 * Puts each problem of a 400 next to its control (`aria-invalid`, described by the message); returns
 * the problems no control stands for (another parameter of the URL), for the page to list.
 */
export function showProblems(form: HTMLFormElement, problems: readonly FieldProblem[]): FieldProblem[] {
  const unplaced: FieldProblem[] = [];
  for (const problem of problems) {
    const wrapper = [...form.querySelectorAll<HTMLElement>('[data-field]')].find((w) => w.dataset['field'] === problem.field);
    if (!wrapper) {
      unplaced.push(problem);
      continue;
    }
    const id = `customers-error-${problem.field.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    wrapper.append(el('p', { id, class: 'field-error', 'data-testid': `customers-field-error-${problem.field}` }, `${problem.field}: ${problem.message}`));
    wrapper.classList.add('invalid');
    wrapper.closest('details')?.setAttribute('open', '');
    for (const control of wrapper.querySelectorAll<HTMLElement>('input, select')) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    }
  }
  return unplaced;
}

function field(name: string, id: string, label: string, control: HTMLElement): HTMLElement {
  return el('div', { class: 'filter-field', 'data-field': name }, el('label', { for: id }, label), control);
}

function checkGroup(legend: string, name: string, idPrefix: string, values: readonly string[], selected: readonly string[]): HTMLElement {
  return el(
    'fieldset',
    { class: 'filter-group', 'data-field': name },
    el('legend', {}, legend),
    el(
      'div',
      { class: 'checks' },
      ...withMissing(values, selected).map((value) => {
        const id = `${idPrefix}-${value.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        return el(
          'label',
          { for: id, class: 'check' },
          el('input', { type: 'checkbox', id, name, value, checked: selected.includes(value), 'data-testid': id }),
          labelOf(value),
        );
      }),
    ),
  );
}

function select(id: string, choices: readonly (readonly [string, string])[], value: string): HTMLSelectElement {
  const node = el('select', { id, 'data-testid': id }, ...choices.map(([v, label]) => el('option', { value: v }, label)));
  node.value = value;
  return node;
}

/** The offered values plus those of the URL the page does not know (kept, so the API can name them). */
function withMissing(values: readonly string[], current: readonly string[]): string[] {
  return [...values, ...current.filter((v) => v !== '' && !values.includes(v))];
}

const pairs = (values: readonly string[]) => values.map((v) => [v, v] as const);
