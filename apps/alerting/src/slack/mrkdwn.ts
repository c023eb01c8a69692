/**
 * Slack mrkdwn text: escaping and length limits. Slack reads `&`, `<` and `>` as control characters
 * (`<url|label>` links, `&amp;` escapes), so everything that comes from data is escaped, and a text
 * that must be shortened is cut between such sequences, never inside one: a cut `&am` or `<http://…`
 * shows garbage or swallows the rest of the message.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link; the label is escaped, the URL must not contain `|` or `>` (ours are built with `URL`). */
export function mrkdwnLink(url: string, label: string): string {
  return `<${url.replace(/[|>]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>`;
}

// An escape sequence, a control sequence (link, mention) or one code point.
const ATOM = /&(?:amp|lt|gt);|<[^<>]*>|[\s\S]/gu;
const ELLIPSIS = '…';

/** At most `max` UTF-16 units (Slack counts characters), ending in `…` when cut; escapes and links stay whole. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const [atom] of text.matchAll(ATOM)) {
    if (out.length + atom.length + ELLIPSIS.length > max) break;
    out += atom;
  }
  return out + ELLIPSIS;
}

/** At most `max` UTF-16 units of plain text, never splitting a surrogate pair. */
export function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length + ELLIPSIS.length > max) break;
    out += ch;
  }
  return out + ELLIPSIS;
}
