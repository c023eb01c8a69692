import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningStack } from './local-stack';

/**
 * Fault injection for the chaos suite. The runner owns the test stack's broker and Postgres, but the
 * specs run in child processes (`node --test`); so the runner serves these few loopback-only
 * operations and hands the specs their address (CHURN_TEST_STACK_CONTROL_URL). It only ever acts on
 * the processes it started itself, never on anything found by name.
 *   POST /kafka/kill      kill -9 the broker
 *   POST /kafka/start     start it again on the same data and ports
 *   POST /postgres/restart  stop Postgres (fast shutdown: open sessions are cut) and start it again
 */
export async function serveStackControl(stack: RunningStack): Promise<{ url: string; close(): Promise<void> }> {
  const operations: Record<string, () => Promise<void>> = {
    '/kafka/kill': async () => stack.broker!.kill(),
    '/kafka/start': async () => stack.broker!.start(),
    '/postgres/restart': async () => stack.postgres!.restart(),
  };
  const server: Server = createServer((req, res) => {
    const operation = req.method === 'POST' ? operations[req.url ?? ''] : undefined;
    if (!operation) return void res.writeHead(404).end();
    if ((req.url!.startsWith('/kafka') && !stack.broker) || (req.url!.startsWith('/postgres') && !stack.postgres)) {
      return void res.writeHead(409).end('not started by this runner (KAFKA_BROKERS / DATABASE_URL name an outside one)');
    }
    operation().then(
      () => res.writeHead(204).end(),
      (error: unknown) => res.writeHead(500).end(String((error as Error)?.message ?? error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The spec side: asks the runner to inject a fault into the stack it owns. */
export async function stackControl(operation: 'kafka/kill' | 'kafka/start' | 'postgres/restart'): Promise<void> {
  const base = process.env['CHURN_TEST_STACK_CONTROL_URL'];
  if (!base) throw new Error('fault injection needs the chaos runner: npm run test:chaos');
  const response = await fetch(`${base}/${operation}`, { method: 'POST', signal: AbortSignal.timeout(180_000) });
  if (response.status !== 204) throw new Error(`stack control ${operation} answered ${response.status}: ${await response.text()}`);
}
