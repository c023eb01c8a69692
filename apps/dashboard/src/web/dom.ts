/** Small DOM helpers: every value goes in as text (never HTML), so API data cannot inject markup. */

type Attributes = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from index.html`);
  return node as T;
}

/** A figure shown as text, with the unformatted API value in data-value for exact comparison. */
export function setFigure(node: HTMLElement, text: string, raw: number | null | undefined): void {
  node.textContent = text;
  node.dataset['value'] = raw === null || raw === undefined ? '' : String(raw);
}
