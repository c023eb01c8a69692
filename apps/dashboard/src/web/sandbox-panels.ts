import { el, setFigure } from './dom';
import { formatInteger } from './format';
import type { SandboxCrmWrite, SandboxEmail, SandboxOutbox, SandboxSlackMessage } from './sandbox-api';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');

export function renderTotals(outbox: SandboxOutbox): void {
  const t = outbox.totals;
  const figure = (id: string, value: number) => setFigure(document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!, formatInteger(value), value);
  figure('total-slack', t.slack_messages);
  figure('total-email', t.emails);
  figure('total-salesforce', t.salesforce_score_writes + t.salesforce_tasks);
  figure('total-hubspot', t.hubspot_score_writes + t.hubspot_tasks);
  document.getElementById('note-slack')!.textContent = t.slack_refused
    ? `${formatInteger(t.slack_refused)} refused by Slack's rate limit, then retried`
    : 'messages delivered';
  document.getElementById('note-salesforce')!.textContent = `${formatInteger(t.salesforce_score_writes)} scores · ${formatInteger(t.salesforce_tasks)} tasks`;
  document.getElementById('note-hubspot')!.textContent = `${formatInteger(t.hubspot_score_writes)} scores · ${formatInteger(t.hubspot_tasks)} tasks`;
}

function emptyItem(text: string): HTMLElement {
  return el('li', { class: 'empty' }, text);
}

/** Slack's colour-circle emoji codes that alerting uses, drawn as coloured dots (no emoji font needed). */
const DOTS: Record<string, string> = { red_circle: 'critical', large_orange_circle: 'high', large_yellow_circle: 'medium', large_green_circle: 'low' };

/**
 * A line of Slack mrkdwn as the channel shows it, built as DOM nodes (never HTML): `<url|label>`
 * links, `:…_circle:` codes as coloured dots, and the *bold* / _italic_ markers dropped.
 */
function mrkdwn(line: string): (Node | string)[] {
  const nodes: (Node | string)[] = [];
  const plain = (text: string): (Node | string)[] =>
    text
      .replace(/\*/g, '')
      .replace(/(^|\s)_|_(?=\s|$)/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .split(/(:[a-z_]+:)/)
      .map((part) => {
        const level = DOTS[part.slice(1, -1)];
        return level ? el('span', { class: `dot dot-${level}`, title: level }, '●') : part;
      });
  const link = /<(https?:[^|>]+)\|([^>]+)>/;
  let rest = line;
  for (let match = link.exec(rest); match; match = link.exec(rest)) {
    nodes.push(...plain(rest.slice(0, match.index)), el('a', { href: match[1]!, target: '_blank', rel: 'noopener' }, ...plain(match[2]!)));
    rest = rest.slice(match.index + match[0].length);
  }
  nodes.push(...plain(rest));
  return nodes;
}

function slackItem(message: SandboxSlackMessage): HTMLElement {
  const refused = message.status !== 200;
  return el(
    'li',
    { class: `message${refused ? ' refused' : ''}`, 'data-testid': 'slack-message', 'data-alert-ids': message.alert_ids.join(' ') },
    el(
      'div',
      { class: 'message-head' },
      el('strong', {}, message.text),
      el('span', { class: 'muted' }, `${time(message.at)}${refused ? ` · answered ${message.status}` : ''}`),
    ),
    ...message.lines.slice(1).map((line) => el('p', { class: 'line' }, ...mrkdwn(line))),
  );
}

function emailItem(mail: SandboxEmail): HTMLElement {
  return el(
    'li',
    { class: 'message', 'data-testid': 'email-message', 'data-alert-ids': mail.alert_ids.join(' ') },
    el('div', { class: 'message-head' }, el('strong', {}, mail.subject), el('span', { class: 'muted' }, `${time(mail.at)} · to ${mail.to.join(', ')}`)),
    el('pre', { class: 'mail-text' }, mail.text.length > 1200 ? `${mail.text.slice(0, 1200)}…` : mail.text),
    ...(mail.attachments.length > 0
      ? [
          el(
            'p',
            { class: 'line muted', 'data-testid': 'email-attachments' },
            `attached: ${mail.attachments.map((a) => `${a.filename} (${Math.ceil(a.bytes / 1024)} KB)`).join(', ')}`,
          ),
        ]
      : []),
  );
}

function fieldsText(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([name, value]) => `${name}=${typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : String(value)}`)
    .join('  ');
}

function crmRow(write: SandboxCrmWrite): HTMLElement {
  return el(
    'tr',
    { 'data-testid': 'crm-write', 'data-system': write.system, 'data-kind': write.kind },
    el('td', {}, time(write.at)),
    el('td', {}, write.system === 'salesforce' ? 'Salesforce' : 'HubSpot'),
    el('td', {}, el('span', { class: `badge ${write.kind === 'task' ? 'badge-high' : 'badge-ok'}` }, write.kind)),
    el('td', {}, `${write.object} ${write.key}`),
    el('td', { class: 'message' }, fieldsText(write.fields)),
  );
}

export function renderLists(outbox: SandboxOutbox): void {
  const slack = document.getElementById('slack-list')!;
  slack.replaceChildren(...(outbox.slack.length ? outbox.slack.map(slackItem) : [emptyItem('Nothing posted to Slack yet.')]));
  const email = document.getElementById('email-list')!;
  email.replaceChildren(...(outbox.email.length ? outbox.email.map(emailItem) : [emptyItem('No e-mail sent yet.')]));
  const crm = document.getElementById('crm-body')!;
  crm.replaceChildren(...(outbox.crm.length ? outbox.crm.map(crmRow) : [el('tr', {}, el('td', { class: 'empty', colspan: 5 }, 'No CRM write yet.'))]));
}
