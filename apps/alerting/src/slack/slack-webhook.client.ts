import type { SlackPayload } from './slack-message';

/** What one POST to an incoming webhook came to, in the terms the dispatcher acts on. */
export type DeliveryResult =
  | { readonly kind: 'ok' }
  /** 429: the webhook is rate limited; nothing may be sent to it for `retryAfterMs`. */
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number; readonly error: string }
  /** 5xx, timeout, connection failure: try again after a back-off. */
  | { readonly kind: 'retry'; readonly error: string }
  /** The destination will not accept anything until an operator acts (webhook removed, channel archived…). */
  | { readonly kind: 'dead'; readonly error: string }
  /** This message will never be accepted, the destination is fine (e-mail only). */
  | { readonly kind: 'rejected'; readonly error: string };

const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * Slack incoming webhook over plain HTTPS (fetch). Slack's documented answers: 200 `ok`; 429 with
 * Retry-After; 400 `invalid_payload`, 403 `action_prohibited`, 404 `channel_not_found`/`no_service`,
 * 410 `channel_is_archived` (the destination is dead); 500 `rollup_error` (retry). The URL is a
 * secret: it appears in no error text.
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
      const reason = err.name === 'TimeoutError' || err.name === 'AbortError' ? `timeout after ${this.timeoutMs} ms` : `${err.cause?.code ?? err.name}: request failed`;
      return { kind: 'retry', error: reason };
    }
    const body = (await response.text().catch(() => '')).slice(0, 200);
    return classifySlackResponse(response.status, response.headers.get('retry-after'), body);
  }
}

export function classifySlackResponse(status: number, retryAfter: string | null, body: string): DeliveryResult {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const error = `HTTP ${status}${body ? ` ${body}` : ''}`;
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMsOf(retryAfter), error };
  if (status >= 500 || status === 408) return { kind: 'retry', error };
  return { kind: 'dead', error };
}

/** Retry-After in seconds (Slack) or as an HTTP date; missing or unreadable: one second. */
export function retryAfterMsOf(value: string | null, now = Date.now()): number {
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 3_600_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.min(at - now, 3_600_000)) : DEFAULT_RETRY_AFTER_MS;
}
