import { confirmAction } from '../../confirm-dialog';
import { el } from '../../dom';

export interface NoteRequest {
  readonly title: string;
  readonly what: string;
  readonly confirmLabel: string;
  /** A resolution says what was done; an acknowledgment may go without. */
  readonly required: boolean;
}

/** Asks for the note of an acknowledgment or resolution (the confirm dialog: modal, Escape cancels, focus returns). Null when cancelled. */
export async function askNote(request: NoteRequest): Promise<string | null> {
  const note = el('textarea', { id: 'queue-note', name: 'note', rows: 3, maxlength: 2000, required: request.required, 'data-testid': 'queue-note' });
  if (request.required) {
    // `required` alone accepts a note of spaces, which says nothing.
    const check = () => note.setCustomValidity(note.value.trim() ? '' : 'Write what was done (kept in the alert’s history).');
    note.addEventListener('input', check);
    check();
  }
  const answer = await confirmAction({
    title: request.title,
    body: [el('p', {}, request.what)],
    confirmLabel: request.confirmLabel,
    fields: [el('label', { for: 'queue-note' }, request.required ? 'Note (required, kept in the history)' : 'Note (optional, kept in the history)', note)],
  });
  return answer === null ? null : String(answer.get('note') ?? '').trim();
}

/** Asks whom to assign an alert to: a person's name or e-mail as they sign in. Null when cancelled. */
export async function askAssignee(customerId: string): Promise<string | null> {
  const person = el('input', { id: 'queue-assignee', name: 'assignee', required: true, maxlength: 200, autocomplete: 'off', 'data-testid': 'queue-assignee' });
  const answer = await confirmAction({
    title: `Assign the alert for ${customerId}`,
    body: [el('p', {}, 'They see it under “Owner: me” when they sign in with this name.')],
    confirmLabel: 'Assign',
    fields: [el('label', { for: 'queue-assignee' }, 'Person (their sign-in name or e-mail)', person)],
  });
  const name = String(answer?.get('assignee') ?? '').trim();
  return name === '' ? null : name;
}
