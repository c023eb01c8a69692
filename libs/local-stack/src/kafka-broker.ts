import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { logLevel, Kafka } from 'kafkajs';
import type { Logger } from '@churn/observability';
import { writeKafkaLogConfig } from './kafka-log-config';
import { compareKafkaVersions, KafkaDataNewerError, type KafkaRelease } from './kafka-version';
import { REPO_ROOT, stateDir } from './paths';
import { isPortOpen, run, stopStaleProcess, terminate, waitFor } from './process-utils';

export interface KafkaBrokerOptions {
  /** Distinguishes the data of the dev stack from the test stack's. */
  readonly name: string;
  readonly port: number;
  readonly controllerPort: number;
  /** Which Apache Kafka release to run (`kafkaRelease()` reads CHURN_KAFKA_VERSION). */
  readonly release: KafkaRelease;
  readonly heapMb?: number;
  readonly defaultPartitions?: number;
}

/**
 * A single-node Apache Kafka broker in KRaft mode, run from the official jars that Maven resolves
 * (no Docker on this machine). Data stays under .churn/kafka/<name>; the jars are fetched once per
 * release. A newer release starts on an older one's data; the reverse is refused (KafkaDataNewerError).
 */
export class LocalKafkaBroker {
  private child: ChildProcess | undefined;
  private readonly home: string;

  constructor(
    private readonly options: KafkaBrokerOptions,
    private readonly logger: Logger,
  ) {
    this.home = path.join(stateDir(), 'kafka', options.name);
  }

  get brokers(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  get logFile(): string {
    return path.join(this.home, 'broker.log');
  }

  get version(): string {
    return this.options.release.version;
  }

  async start(): Promise<void> {
    this.refuseNewerData();
    const jarDir = await ensureKafkaJars(this.options.release, this.logger);
    fs.mkdirSync(this.home, { recursive: true });
    const pidFile = path.join(this.home, 'broker.pid');
    await stopStaleProcess(pidFile, 10_000);
    if (await isPortOpen(this.options.port)) {
      throw new Error(`port ${this.options.port} is taken by another process; stop it or set KAFKA_BROKERS to use that cluster`);
    }
    const { propertiesFile, dataDir } = this.writeConfig();
    const logConfigArg = writeKafkaLogConfig(this.options.release, this.home);
    const javaArgs = [`-Xmx${this.options.heapMb ?? 512}m`, '-Xms128m', logConfigArg, '-cp', path.join(jarDir, '*')];
    if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
      this.logger.info({ dataDir }, 'formatting Kafka storage (KRaft)');
      // A static voter set (controller.quorum.voters) needs neither --standalone nor --initial-controllers in 4.x.
      await run('java', [...javaArgs, 'kafka.tools.StorageTool', 'format', '-t', clusterId(this.options.name), '-c', propertiesFile]);
    }
    // Only this start's lines count when the broker's reported version is read.
    const logStart = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn('java', [...javaArgs, 'kafka.Kafka', propertiesFile], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    fs.writeFileSync(pidFile, String(this.child.pid));
    const child = this.child;
    // If this process dies without stopping the broker, the broker must not outlive it.
    const orphanGuard = () => child.kill('SIGTERM');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.removeListener('exit', orphanGuard));
    let exited = false;
    child.once('exit', () => (exited = true));
    this.logger.info({ pid: child.pid, port: this.options.port, version: this.version }, 'starting Kafka broker');
    let reported: string | undefined;
    await waitFor(
      'the Kafka broker to accept metadata requests and report its version',
      async () => {
        if (exited) throw new Error(`Kafka broker exited during start; see ${this.logFile}`);
        reported ??= reportedKafkaVersion(this.logFile, logStart);
        return reported !== undefined && (await this.isReady());
      },
      90_000,
      500,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- last lines of ${this.logFile} ---\n${tail(this.logFile, 30)}`);
    });
    if (reported !== this.version) {
      await this.stop();
      throw new Error(`the broker started from ${jarDir} reports Kafka ${reported}, not ${this.version}; delete that directory to resolve the jars again`);
    }
    const writtenBy = this.dataWrittenBy();
    if (!writtenBy || compareKafkaVersions(this.version, writtenBy) > 0) fs.writeFileSync(this.writtenByFile, this.version);
  }

  /** The newest release that has run on this data (data from before this file existed: unknown). */
  private get writtenByFile(): string {
    return path.join(this.home, 'data-written-by');
  }

  private dataWrittenBy(): string | undefined {
    return fs.existsSync(this.writtenByFile) ? fs.readFileSync(this.writtenByFile, 'utf8').trim() : undefined;
  }

  private refuseNewerData(): void {
    const writtenBy = this.dataWrittenBy();
    if (writtenBy && compareKafkaVersions(this.version, writtenBy) < 0) throw new KafkaDataNewerError(this.home, writtenBy, this.version);
  }

  async isReady(): Promise<boolean> {
    if (!(await isPortOpen(this.options.port))) return false;
    const admin = new Kafka({ clientId: 'churn-local-probe', brokers: [this.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** SIGTERM lets the broker flush and close its logs; SIGKILL only if it hangs. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid) return;
    await terminate(child.pid, 20_000);
    fs.rmSync(path.join(this.home, 'broker.pid'), { force: true });
  }

  /** For fault tests: kill -9 and come back on the same data. */
  async kill(): Promise<void> {
    if (this.child?.pid) process.kill(this.child.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    this.child = undefined;
  }

  private writeConfig(): { propertiesFile: string; dataDir: string } {
    const dataDir = path.join(this.home, 'data');
    const propertiesFile = path.join(this.home, 'server.properties');
    const { port, controllerPort } = this.options;
    fs.writeFileSync(
      propertiesFile,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${dataDir}`,
        `num.partitions=${this.options.defaultPartitions ?? 6}`,
        'auto.create.topics.enable=false',
        // A single node: every internal topic has one replica.
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=10',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        // Deleted records (the test suites empty topics with DeleteRecords) stay deleted across a kill -9:
        // the log start offset is checkpointed every second instead of every minute, else a broker killed
        // within the minute comes back with the records before it again (chaos: broker killed mid-stream).
        'log.flush.start.offset.checkpoint.interval.ms=1000',
        'log.segment.bytes=67108864',
        '',
      ].join('\n'),
    );
    return { propertiesFile, dataDir };
  }
}

/** Where the jars of one release live: .churn/kafka/jars-<version>, one directory per release. */
export function kafkaJarDir(release: KafkaRelease): string {
  return path.join(stateDir(), 'kafka', `jars-${release.version}`);
}

/** Resolves the broker jars through Maven once per release. */
export async function ensureKafkaJars(release: KafkaRelease, logger: Logger): Promise<string> {
  const jarDir = kafkaJarDir(release);
  const marker = path.join(jarDir, '.complete');
  if (fs.existsSync(marker)) return jarDir;
  logger.info({ jarDir }, `resolving Apache Kafka ${release.version} jars through Maven (first run only)`);
  fs.mkdirSync(jarDir, { recursive: true });
  await run('mvn', [
    '-q',
    '-B',
    '-f',
    path.join(REPO_ROOT, 'deploy', 'local', 'kafka', 'pom.xml'),
    'dependency:copy-dependencies',
    `-Pkafka-${release.line}`,
    `-Dkafka.version=${release.version}`,
    `-DoutputDirectory=${jarDir}`,
  ]);
  fs.writeFileSync(marker, new Date().toISOString());
  return jarDir;
}

/** The version a broker printed at start ("Kafka version: 4.4.0"), reading its log from `fromByte`. */
export function reportedKafkaVersion(logFile: string, fromByte = 0): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(logFile).subarray(fromByte).toString('utf8');
  } catch {
    return undefined;
  }
  return [...text.matchAll(/Kafka version: (\S+)/g)].at(-1)?.[1];
}

/** KRaft wants a 22-character base64 cluster id; derived from the name so a re-format keeps it. */
function clusterId(name: string): string {
  return Buffer.from(`churn-radar-${name}`.padEnd(16, '-').slice(0, 16)).toString('base64url').slice(0, 22);
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
