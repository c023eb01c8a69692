import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthProblem, PROBLEM_JSON, problemDetails } from '@churn/contracts';
import type { Database } from '@churn/db';
import type { Registry } from '@churn/observability';

/** A refusal as every service answers one: RFC 9457 problem+json (docs/http-errors.md). */
function refuse(
  res: http.ServerResponse,
  status: number,
  code: string,
  detail: string,
  instance: string | undefined,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, { 'content-type': PROBLEM_JSON, ...headers })
    .end(JSON.stringify(problemDetails({ status, code, detail, instance: instance?.split('?')[0] })));
}

/**
 * The worker's `/metrics` (Prometheus: the churn_job_* series and Node's), `/health/live` (the process
 * answers) and `/health/ready` (Postgres answers), the same paths as the services', so the same
 * scrape config and probes apply.
 */
export async function serveWorkerHttp(port: number, registry: Registry, database: Database): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET') return void refuse(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not served here: only GET`, req.url, { allow: 'GET' });
      if (req.url === '/metrics') {
        res.setHeader('content-type', registry.contentType);
        return void res.end(await registry.metrics());
      }
      if (req.url === '/health/live') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      if (req.url === '/health/ready') {
        const ok = await database.query('jobs_worker.ready', 'SELECT 1').then(
          () => true,
          () => false,
        );
        if (ok) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', checks: { postgres: 'ok' } }));
        return void res
          .writeHead(503, { 'content-type': PROBLEM_JSON })
          .end(JSON.stringify(healthProblem({ status: 'unavailable', checks: { postgres: 'failing' } }, 'ready')));
      }
      refuse(res, 404, 'NOT_FOUND', 'no such route: the worker serves /metrics, /health/live and /health/ready', req.url);
    })();
  });
  // Longer than a scrape interval (15 s), so a scraper's kept-alive connection is not closed under
  // it: with Node's 5 s default a request sent on a socket the server is closing fails.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
