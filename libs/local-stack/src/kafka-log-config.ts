import fs from 'node:fs';
import path from 'node:path';
import type { KafkaRelease } from './kafka-version';

/**
 * Loggers kept at INFO over a WARN root: the broker's start-up steps, and the line in which the
 * broker reports its own version ("Kafka version: 4.4.0"), which LocalKafkaBroker checks. The
 * class moved into an `internals` package in the 4.x line.
 */
const INFO_LOGGERS = ['kafka.server.BrokerServer', 'org.apache.kafka.common.utils.AppInfoParser', 'org.apache.kafka.common.utils.internals.AppInfoParser'];

const PATTERN = '[%d] %p %m (%c)%n';

/**
 * Writes the broker's log configuration into its home and returns the JVM option that loads it:
 * log4j 2 for the 4.x line (it replaced reload4j), log4j 1 for 3.x.
 */
export function writeKafkaLogConfig(release: KafkaRelease, home: string): string {
  if (release.line === 4) {
    const file = path.join(home, 'log4j2.properties');
    fs.writeFileSync(
      file,
      [
        'appender.stdout.type=Console',
        'appender.stdout.name=STDOUT',
        'appender.stdout.layout.type=PatternLayout',
        `appender.stdout.layout.pattern=${PATTERN}`,
        'rootLogger.level=WARN',
        'rootLogger.appenderRef.stdout.ref=STDOUT',
        ...INFO_LOGGERS.flatMap((name, i) => [`logger.info${i}.name=${name}`, `logger.info${i}.level=INFO`]),
        '',
      ].join('\n'),
    );
    return `-Dlog4j2.configurationFile=file:${file}`;
  }
  const file = path.join(home, 'log4j.properties');
  fs.writeFileSync(
    file,
    [
      'log4j.rootLogger=WARN, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      `log4j.appender.stdout.layout.ConversionPattern=${PATTERN}`,
      ...INFO_LOGGERS.map((name) => `log4j.logger.${name}=INFO`),
      '',
    ].join('\n'),
  );
  return `-Dlog4j.configuration=file:${file}`;
}
