import type { FieldProblem } from '../../customer-api';
import { el } from '../../dom';

/** A labelled control with a place for the API's complaint about it, tied by `aria-describedby`. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const errorId = `${control.id}-error`;
  const hintId = hint ? `${control.id}-hint` : undefined;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return el(
    'div',
    { class: 'form-field' },
    el('label', { for: control.id }, label),
    control,
    hint ? el('span', { id: hintId, class: 'muted field-hint' }, hint) : '',
    el('span', { id: errorId, class: 'field-error', 'data-testid': `${control.id}-error` }),
  );
}

/** Clears what a previous refusal said about the form's fields. */
export function clearProblems(form: HTMLFormElement): void {
  for (const node of form.querySelectorAll<HTMLElement>('.field-error')) node.textContent = '';
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
}

/**
 * Shows each problem next to the control named `problem.field` (controls carry the API's field names
 * as `name`); a problem about no control of the form is returned, for the page's message.
 */
export function showProblems(form: HTMLFormElement, problems: readonly FieldProblem[]): FieldProblem[] {
  const unplaced: FieldProblem[] = [];
  let first: HTMLElement | null = null;
  for (const problem of problems) {
    const control = form.querySelector<HTMLElement>(`[name="${CSS.escape(problem.field)}"]`);
    const error = control ? document.getElementById(`${control.id}-error`) : null;
    if (!control || !error) {
      unplaced.push(problem);
      continue;
    }
    control.setAttribute('aria-invalid', 'true');
    error.textContent = `${problem.field}: ${problem.message}`;
    first ??= control;
  }
  first?.focus();
  return unplaced;
}

/** `datetime-local`'s value for a time, in the viewer's zone, to the minute. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (the viewer's zone) as the zoned ISO time the API takes; the raw text when it does not parse, so the API names the field. */
export function zonedIso(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}
