import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackPayloadProblem } from './slack-payload.validator';

export interface SlackRequestRecord {
  readonly at: number;
  readonly status: number;
  readonly body: string;
  /** The alert ids the message names (single message or digest). */
  readonly alertIds: string[];
}

/** A scripted answer for the next request: a status (with Slack's body), or no answer at all. */
export type ScriptedAnswer = { status: number; body?: string; retryAfterSeconds?: number } | { hang: true };

/**
 * A local stand-in for a Slack incoming webhook over a real socket: it answers `ok` with 200, enforces
 * a rate (token bucket: `perSecond` messages, answering 429 with Retry-After when exceeded), refuses
 * what Slack refuses with 400 and Slack's error string (`slackPayloadProblem`: Block Kit limits,
 * missing fields, more than 50 blocks), and can be scripted to answer 500, 404 `no_service`, 400
 * `invalid_blocks`, or to hang (timeout).
 */
export class FakeSlackServer {
  readonly requests: SlackRequestRecord[] = [];
  readonly script: ScriptedAnswer[] = [];
  private readonly server: http.Server;
  private readonly hanging = new Set<ServerResponse>();
  private tokens: number;
  private lastRefill = Date.now();

  private constructor(private readonly options: { perSecond: number; retryAfterSeconds: number }) {
    this.tokens = options.perSecond;
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: { perSecond?: number; retryAfterSeconds?: number } = {}): Promise<FakeSlackServer> {
    const fake = new FakeSlackServer({ perSecond: options.perSecond ?? 1, retryAfterSeconds: options.retryAfterSeconds ?? 1 });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
  }

  /** Alert ids of the messages answered 200, in order, with repetitions. */
  delivered(): string[] {
    return this.requests.filter((r) => r.status === 200).flatMap((r) => r.alertIds);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const alertIds = [...new Set(body.match(/alrt-[0-9a-f]{24}/g) ?? [])];
    const scripted = this.script.shift();
    if (scripted && 'hang' in scripted) {
      this.requests.push({ at: Date.now(), status: 0, body, alertIds });
      this.hanging.add(res);
      return;
    }
    let status = 200;
    let text = 'ok';
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (scripted) {
      status = scripted.status;
      text = scripted.body ?? (status === 500 ? 'rollup_error' : status === 429 ? 'rate_limited' : 'error');
      if (scripted.retryAfterSeconds !== undefined) headers['retry-after'] = String(scripted.retryAfterSeconds);
    } else if (!this.takeToken()) {
      status = 429;
      text = 'rate_limited';
      headers['retry-after'] = String(this.options.retryAfterSeconds);
    } else {
      const problem = slackPayloadProblem(body);
      if (problem) {
        status = 400;
        text = problem;
      }
    }
    this.requests.push({ at: Date.now(), status, body, alertIds });
    res.writeHead(status, headers).end(text);
  }

  private takeToken(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.options.perSecond, this.tokens + ((now - this.lastRefill) / 1000) * this.options.perSecond);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
