/**
 * The Apache Kafka release the local broker runs unless CHURN_KAFKA_VERSION names another: the
 * newest 4.x that Maven Central serves (deploy/local/kafka/pom.xml defaults to the same one).
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

/** A release the local broker can run: 4.x, or 3.9.x (the last 3.x line, still common in clusters). */
export interface KafkaRelease {
  readonly version: string;
  /** Selects the Maven profile and the log configuration: 3.x logs through log4j 1, 4.x through log4j 2. */
  readonly line: 3 | 4;
}

/** CHURN_KAFKA_VERSION names a release the local broker cannot run. */
export class KafkaVersionError extends Error {
  readonly code = 'KAFKA_VERSION_UNSUPPORTED';

  constructor(readonly requested: string) {
    super(`CHURN_KAFKA_VERSION must be a 4.x.y or 3.9.y release of Apache Kafka (e.g. ${DEFAULT_KAFKA_VERSION} or 3.9.1), not "${requested}"`);
    this.name = 'KafkaVersionError';
  }
}

/** Orders releases by their numbers: negative when `a` is older than `b`. */
export function compareKafkaVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return (x![i] ?? 0) - (y![i] ?? 0);
  return 0;
}

/**
 * The broker's data was written by a newer release than the one asked for: an older broker cannot
 * read a newer metadata log (it dies with an UnsupportedVersionException). Newer on older data works.
 */
export class KafkaDataNewerError extends Error {
  readonly code = 'KAFKA_DATA_NEWER';

  constructor(
    readonly brokerHome: string,
    readonly writtenBy: string,
    readonly requested: string,
  ) {
    super(
      `the Kafka data in ${brokerHome} was written by Kafka ${writtenBy}, which ${requested} cannot read: start on empty data (bin/churn demo does) or delete ${brokerHome}`,
    );
    this.name = 'KafkaDataNewerError';
  }
}

export function kafkaRelease(env: NodeJS.ProcessEnv = process.env): KafkaRelease {
  const version = env['CHURN_KAFKA_VERSION'] || DEFAULT_KAFKA_VERSION;
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  const [major, minor] = [Number(match?.[1]), Number(match?.[2])];
  if (major === 4) return { version, line: 4 };
  // Earlier 3.x lines differ in their KRaft tooling and are not tested here.
  if (major === 3 && minor === 9) return { version, line: 3 };
  throw new KafkaVersionError(version);
}
