import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { getOrCreateCounter, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Logger, type Registry } from '@churn/observability';

/** What a repository runs SQL on: the pool, or the client of a transaction in progress. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(operation: string, sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly applicationName: string;
}

/**
 * The one door to Postgres. Every statement is named by the repository that runs it, so that
 * `churn_db_query_duration_seconds{operation}` says which query is slow, and parameters are always
 * bound, never interpolated.
 */
export class Database implements Queryable {
  readonly pool: Pool;
  private readonly metrics;
  private closed = false;

  constructor(
    options: DatabaseOptions,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize,
      application_name: options.applicationName,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection (Postgres restart) must not crash the process.
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'idle database connection lost'));
    this.metrics = {
      duration: getOrCreateHistogram(registry, {
        name: 'churn_db_query_duration_seconds',
        help: 'Duration of database statements, by repository operation.',
        labelNames: ['operation'] as const,
        buckets: LATENCY_BUCKETS_SECONDS,
      }),
      errors: getOrCreateCounter(registry, {
        name: 'churn_db_query_errors_total',
        help: 'Failed database statements, by repository operation.',
        labelNames: ['operation'] as const,
      }),
    };
  }

  query<R extends QueryResultRow = QueryResultRow>(operation: string, sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.run(this.pool, operation, sql, params);
  }

  /**
   * Runs `work` in one transaction; commits when it resolves, rolls back when it throws. A
   * `snapshot` transaction is REPEATABLE READ and read-only: every statement in it sees the same
   * committed data, for an answer assembled from several reads (a consumer writing meanwhile cannot
   * make its parts disagree).
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>, options: { snapshot?: boolean } = {}): Promise<T> {
    const client = await this.pool.connect();
    // The pool listens for 'error' only on idle clients. A checked-out client whose connection
    // Postgres terminates between two statements (restart, failover; ingest publishes to Kafka
    // inside its transaction) emits 'error' with no listener, which kills the process. Found by the
    // chaos suite's Postgres restart. With this listener the next statement fails instead, and the
    // consumer retries the batch as an infrastructure error.
    const onLost = (error: Error) => this.logger.warn({ err: error }, 'database connection lost during a transaction');
    client.on('error', onLost);
    try {
      await client.query(options.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      const tx: Queryable = { query: (operation, sql, params = []) => this.run(client, operation, sql, params) };
      const result = await work(tx);
      await client.query('COMMIT');
      // Back in the pool, the pool's own idle listener takes over.
      client.removeListener('error', onLost);
      client.release();
      return result;
    } catch (error) {
      // The listener stays: a broken client is destroyed, and may still report its end.
      await client.query('ROLLBACK').catch(() => undefined);
      // A client whose connection broke must not go back to the pool.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async isReachable(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async run<R extends QueryResultRow>(client: Pool | PoolClient, operation: string, sql: string, params: readonly unknown[]): Promise<R[]> {
    const end = this.metrics.duration.startTimer({ operation });
    try {
      const result = await client.query<R>(sql, params as unknown[]);
      return result.rows;
    } catch (error) {
      this.metrics.errors.inc({ operation });
      throw error;
    } finally {
      end();
    }
  }
}
