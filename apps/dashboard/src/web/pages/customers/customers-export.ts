import { el } from '../../dom';
import { customersCsvUrl, fetchCustomersCsv } from '../../customers-api';
import { describeError } from '../../page-states';

const FILE_NAME = 'customers.csv';

/**
 * "Export CSV" of the whole filter. Signed in with the session cookie, a plain download link carries
 * the credentials; a bearer token cannot ride on a link, so the file is fetched with the header and
 * saved from memory (an object URL and a temporary download link).
 */
export function exportControl(query: URLSearchParams, token: string): HTMLElement {
  if (token === '') {
    return el('a', { href: customersCsvUrl(query), download: FILE_NAME, class: 'button-link', 'data-testid': 'customers-export' }, 'Export CSV');
  }
  const status = el('span', { class: 'export-status', role: 'status', 'data-testid': 'customers-export-status' });
  const button = el('button', { type: 'button', class: 'secondary-dark', 'data-testid': 'customers-export' }, 'Export CSV');
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Exporting…';
    fetchCustomersCsv(query, token)
      .then((blob) => {
        saveBlob(blob, FILE_NAME);
        status.textContent = 'Exported.';
      })
      .catch((error: unknown) => (status.textContent = `Export failed: ${describeError(error)}.`))
      .finally(() => (button.disabled = false));
  });
  return el('div', { class: 'export' }, button, status);
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the download once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
