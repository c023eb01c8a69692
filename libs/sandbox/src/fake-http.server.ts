import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Sent as is (CSV); otherwise the body is JSON. */
  readonly raw?: string;
}

/** A small HTTP server on 127.0.0.1 and a free port: the CRM fakes and the sandbox's outbox listing. */
export class FakeHttpServer {
  private server: Server | undefined;
  private open = 0;
  url = '';

  /** Requests received whose connection is still open (answered or not): a client that gave up but kept its socket counts. */
  get openRequests(): number {
    return this.open;
  }

  constructor(private readonly handle: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.open++;
    res.on('close', () => this.open--);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    let response: FakeResponse;
    try {
      response = await this.handle({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    } catch (error) {
      response = { status: 500, body: [{ errorCode: 'FAKE_ERROR', message: String(error) }] };
    }
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload = '';
    if (response.raw !== undefined) payload = response.raw;
    else if (response.body !== undefined) {
      payload = JSON.stringify(response.body);
      headers['content-type'] ??= 'application/json;charset=UTF-8';
    }
    if (res.destroyed) return;
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}

/** A fake service answered by a FakeHttpServer: the fakes differ only in how they route. */
export abstract class FakeHttpService {
  readonly http = new FakeHttpServer(async (request) => {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs).unref());
    return this.route(request);
  });
  private outageUntil = 0;
  private outageArmedMs = 0;
  private delayMs = 0;

  /** Answers every request `ms` late (0: at once): a CRM that hangs; `http.openRequests` shows whether clients hang up. */
  delayResponses(ms: number): void {
    this.delayMs = ms;
  }

  /**
   * Answers 503 for `ms`: from now, or — with `fromNextRequest` — from the next request on, so that a
   * test's outage covers the first calls of the work it starts however long that work takes to get here.
   */
  outageFor(ms: number, options: { fromNextRequest?: boolean } = {}): void {
    if (options.fromNextRequest) this.outageArmedMs = ms;
    else this.outageUntil = Date.now() + ms;
  }

  /** True while an outage lasts (starting an armed one); the subclasses answer 503 in their own dialect. */
  protected inOutage(): boolean {
    if (this.outageArmedMs > 0) {
      this.outageUntil = Date.now() + this.outageArmedMs;
      this.outageArmedMs = 0;
    }
    return Date.now() < this.outageUntil;
  }

  protected abstract route(request: FakeRequest): FakeResponse | Promise<FakeResponse>;

  start(): Promise<string> {
    return this.http.start();
  }
  stop(): Promise<void> {
    return this.http.stop();
  }
  get url(): string {
    return this.http.url;
  }
}
