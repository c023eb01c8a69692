import { el } from '../../dom';
import type { FilterableAttribute } from '../../customers-api';
import { ATTRIBUTE_PREFIX, type AttributeCondition } from '../../../logic/customers/customer-filter';

/**
 * The attribute filters of the active feature spec: one row per condition (a category select for a
 * closed categorical, true/false for a boolean, a value for a number or an open-ended category) and an
 * "add attribute filter" picker offering the attributes not filtered yet.
 */
export function attributeFilters(attributes: readonly FilterableAttribute[], conditions: readonly AttributeCondition[]): HTMLElement {
  const rows = el('div', { class: 'attribute-rows' });
  const picker = el('select', { id: 'customers-attr-picker', 'data-testid': 'customers-attr-picker' });
  const add = el('button', { type: 'button', class: 'secondary-dark small', 'data-testid': 'customers-attr-add' }, 'Add filter');
  const section = el(
    'fieldset',
    { class: 'filter-group attribute-filters' },
    el('legend', {}, 'Attributes'),
    rows,
    el('div', { class: 'attribute-add' }, el('label', { for: 'customers-attr-picker' }, 'Add attribute filter'), el('div', { class: 'inline' }, picker, add)),
  );
  const refreshPicker = () => {
    const used = new Set(conditionsOf(section).map((c) => c.name));
    const free = attributes.filter((a) => !used.has(a.name));
    picker.replaceChildren(...free.map((a) => el('option', { value: a.name }, a.name)));
    picker.disabled = free.length === 0;
    add.disabled = free.length === 0;
  };
  const append = (attribute: FilterableAttribute | undefined, condition: AttributeCondition) => {
    const row = attributeRow(attribute, condition, () => {
      row.remove();
      refreshPicker();
      picker.focus();
    });
    rows.append(row);
    return row;
  };
  for (const condition of conditions)
    append(
      attributes.find((a) => a.name === condition.name),
      condition,
    );
  add.addEventListener('click', () => {
    const attribute = attributes.find((a) => a.name === picker.value);
    if (!attribute) return;
    const row = append(attribute, { name: attribute.name, value: defaultValue(attribute) });
    refreshPicker();
    row.querySelector<HTMLElement>('[data-attribute-control]')?.focus();
  });
  refreshPicker();
  return section;
}

/** The conditions as the rows hold them now (an empty value is no condition). */
export function conditionsOf(section: HTMLElement): AttributeCondition[] {
  return [...section.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-attribute-control]')]
    .map((control) => ({ name: control.dataset['attributeControl'] ?? '', value: control.value.trim() }))
    .filter((c) => c.name !== '' && c.value !== '');
}

function defaultValue(attribute: FilterableAttribute): string {
  if (attribute.type === 'boolean') return 'true';
  return attribute.type === 'categorical' && attribute.categories ? (attribute.categories[0] ?? '') : '';
}

function attributeRow(attribute: FilterableAttribute | undefined, condition: AttributeCondition, onRemove: () => void): HTMLElement {
  const id = `customers-attr-${condition.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const control = valueControl(attribute, condition.value, id);
  control.dataset['attributeControl'] = condition.name;
  control.setAttribute('data-testid', id);
  const remove = el(
    'button',
    { type: 'button', class: 'secondary-dark small', 'aria-label': `Remove the ${condition.name} filter`, 'data-testid': `${id}-remove` },
    'Remove',
  );
  remove.addEventListener('click', onRemove);
  return el(
    'div',
    { class: 'attribute-row', 'data-field': `${ATTRIBUTE_PREFIX}${condition.name}` },
    el('label', { for: id }, attribute ? `${condition.name}${attribute.type === 'numeric' ? ' (number)' : ''}` : condition.name),
    el('div', { class: 'inline' }, control, remove),
  );
}

/** A select when the values are few and known; else a text box that takes the value as typed (several comma-separated). */
function valueControl(attribute: FilterableAttribute | undefined, value: string, id: string): HTMLInputElement | HTMLSelectElement {
  const choices = attribute?.type === 'boolean' ? ['true', 'false'] : attribute?.type === 'categorical' ? attribute.categories : undefined;
  if (!choices || (value !== '' && !choices.includes(value))) {
    return el('input', { type: 'text', id, value, inputmode: attribute?.type === 'numeric' ? 'decimal' : undefined, autocomplete: 'off' });
  }
  const select = el('select', { id }, ...choices.map((c) => el('option', { value: c }, c)));
  select.value = value || choices[0] || '';
  return select;
}
