import type { SlackPayload } from './slack-message';

/** What one POST to an incoming webhook came to, in the terms the dispatcher acts on. */
export type DeliveryResult =
  /** Accepted; `rejectedRecipients`: addresses an SMTP server refused while taking the message for the others. */
  | { readonly kind: 'ok'; readonly rejectedRecipients?: readonly string[] }
  /** 429: the webhook is rate limited; nothing may be sent to it for `retryAfterMs`. */
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number; readonly error: string }
  /** 5xx, timeout, connection failure: try again after a back-off. */
  | { readonly kind: 'retry'; readonly error: string }
  /** The destination will not accept anything until an operator acts (webhook removed, channel archived…). */
  | { readonly kind: 'dead'; readonly error: string }
  /** This message will never be accepted; the destination is fine and keeps receiving the others. */
  | { readonly kind: 'rejected'; readonly error: string };

const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * Slack incoming webhook over plain HTTPS (fetch). The URL is a secret: it appears in no error text.
 * Slack's documented answers (https://api.slack.com/messaging/webhooks, "Handling errors", and
 * https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks): 200 `ok`;
 * 400 `invalid_payload`, `invalid_blocks`, `invalid_blocks_format`, `too_many_attachments`, `no_text`,
 * `user_not_found` — this message; 403 `action_prohibited`, `invalid_token`,
 * `posting_to_general_channel_denied`; 404 `channel_not_found`, `no_service`; 410
 * `channel_is_archived`, `no_active_hooks` — the webhook or its channel; 429 with Retry-After;
 * 500 `rollup_error`.
 */
export class SlackWebhookClient {
  constructor(
    private readonly webhookUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async post(payload: SlackPayload): Promise<DeliveryResult> {
    let response: Response;
    try {
      response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const err = error as Error & { cause?: { code?: string } };
      const reason =
        err.name === 'TimeoutError' || err.name === 'AbortError' ? `timeout after ${this.timeoutMs} ms` : `${err.cause?.code ?? err.name}: request failed`;
      return { kind: 'retry', error: reason };
    }
    const body = (await response.text().catch(() => '')).slice(0, 200);
    return classifySlackResponse(response.status, response.headers.get('retry-after'), body);
  }
}

/** Answers that say the webhook or its channel is gone or forbidden, whatever the status code. */
const DESTINATION_ERRORS = new Set([
  'no_service',
  'channel_not_found',
  'channel_is_archived',
  'invalid_token',
  'no_active_hooks',
  'action_prohibited',
  'posting_to_general_channel_denied',
  'team_disabled',
]);
const DESTINATION_STATUSES = new Set([401, 403, 404, 410]);

/**
 * A refused message (400 and the other 4xx) is that message's problem: it is parked and the
 * destination keeps working. Only answers about the webhook itself kill the destination.
 */
export function classifySlackResponse(status: number, retryAfter: string | null, body: string): DeliveryResult {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const error = `HTTP ${status}${body ? ` ${body}` : ''}`;
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMsOf(retryAfter), error };
  if (status >= 500 || status === 408) return { kind: 'retry', error };
  if (DESTINATION_STATUSES.has(status) || DESTINATION_ERRORS.has(body.trim())) return { kind: 'dead', error };
  return { kind: 'rejected', error };
}

/** Retry-After in seconds (Slack) or as an HTTP date; missing or unreadable: one second. */
export function retryAfterMsOf(value: string | null, now = Date.now()): number {
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 3_600_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.min(at - now, 3_600_000)) : DEFAULT_RETRY_AFTER_MS;
}
