import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { until } from './eventually';

/** The broker and database of the running test stack (set by run-integration). */
export function testInfra(): { kafkaBrokers: string; databaseUrl: string } {
  const kafkaBrokers = process.env['KAFKA_BROKERS'];
  const databaseUrl = process.env['DATABASE_URL'];
  if (!kafkaBrokers || !databaseUrl) {
    throw new Error('integration specs need KAFKA_BROKERS and DATABASE_URL: run them with `npm run test:integration`');
  }
  return { kafkaBrokers, databaseUrl };
}

/** A short unique id so that tests sharing one broker and database never see each other's data. */
export function uniqueId(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Environment for a service started by a test: its own consumer groups and a free port. */
export function serviceTestEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const { kafkaBrokers, databaseUrl } = testInfra();
  return {
    KAFKA_BROKERS: kafkaBrokers,
    DATABASE_URL: databaseUrl,
    KAFKA_GROUP_PREFIX: uniqueId('test'),
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error',
    PORT: '0',
    // Lets a run compare the consumer's batching modes without editing specs.
    ...(process.env['KAFKA_CONSUMER_BATCHING'] ? { KAFKA_CONSUMER_BATCHING: process.env['KAFKA_CONSUMER_BATCHING'] } : {}),
    ...overrides,
  };
}

/** Waits until a service started by a test answers 200 on /health/ready. */
export async function waitUntilHttpReady(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  await until(`${baseUrl} to become ready`, async () => (await fetch(`${baseUrl}/health/ready`)).status === 200, { timeoutMs, intervalMs: 100 });
}

/**
 * A loopback port free at the time of asking: for a service whose URL another party must know
 * before it starts (an OpenID provider's redirect URI names monitoring's port).
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
