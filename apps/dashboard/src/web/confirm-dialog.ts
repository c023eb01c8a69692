import { byId } from './dom';

export interface Confirmation {
  readonly title: string;
  /** What will happen, in words the person can check before confirming. */
  readonly body: readonly (Node | string)[];
  readonly confirmLabel: string;
  /** Inputs the action needs (a share, a reason), named so their values come back in the FormData. */
  readonly fields?: readonly HTMLElement[];
}

/**
 * Asks before an action that changes what serves customers. A modal <dialog> (showModal): the page
 * behind it is inert, so focus stays in the dialog; Escape cancels; focus returns to the button that
 * opened it. Resolves with the form's values on confirm, null on cancel or Escape.
 */
export function confirmAction(request: Confirmation): Promise<FormData | null> {
  const dialog = byId<HTMLDialogElement>('confirm-dialog');
  const form = byId<HTMLFormElement>('confirm-form');
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  byId('confirm-title').textContent = request.title;
  byId('confirm-body').replaceChildren(...request.body);
  byId('confirm-fields').replaceChildren(...(request.fields ?? []));
  byId('confirm-ok').textContent = request.confirmLabel;
  dialog.showModal();
  return new Promise((resolve) => {
    const finish = (result: FormData | null) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      opener?.focus();
      resolve(result);
    };
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault();
      if ((event.submitter as HTMLButtonElement | null)?.value === 'cancel') return finish(null);
      if (!form.reportValidity()) return;
      finish(new FormData(form));
    };
    const onClose = () => finish(null);
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
  });
}
