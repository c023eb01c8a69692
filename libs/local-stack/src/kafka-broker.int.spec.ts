import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { reportedKafkaVersion } from './kafka-broker';
import { DEFAULT_KAFKA_VERSION, kafkaRelease } from './kafka-version';
import { testStackDataName } from './local-stack';
import { stateDir } from './paths';

interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * APIs whose oldest versions Kafka 4.0 removed (KIP-896) and that kafkajs 2.2.4 uses: the lowest
 * version each line serves, and the highest kafkajs speaks. (Produce is no witness: 4.x still
 * advertises v0 for old librdkafka clients while refusing it, apache/kafka#18727.)
 */
const FLOORS = [
  { name: 'Fetch', apiKey: 1, line3: 0, line4: 4, kafkajs: 11 },
  { name: 'OffsetCommit', apiKey: 8, line3: 0, line4: 2, kafkajs: 5 },
  { name: 'CreateTopics', apiKey: 19, line3: 0, line4: 2, kafkajs: 3 },
  { name: 'DescribeConfigs', apiKey: 32, line3: 0, line4: 1, kafkajs: 2 },
] as const;

/** The broker's answer to kafkajs's ApiVersions request, taken from kafkajs's own debug log of that response. */
async function brokerApiVersions(brokers: string): Promise<ApiVersionRange[]> {
  let ranges: ApiVersionRange[] | undefined;
  const kafka = new Kafka({
    clientId: 'kafka-version-spec',
    brokers: brokers.split(','),
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => {
      const data = (entry.log as { data?: { apiVersions?: ApiVersionRange[] } }).data;
      if (entry.log.message.startsWith('Response ApiVersions') && data?.apiVersions) ranges = data.apiVersions;
    },
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.disconnect();
  assert.ok(ranges, 'kafkajs logged no ApiVersions response');
  return ranges;
}

describe('the test stack broker', () => {
  const release = kafkaRelease();

  it('defaults to the 4.x line', () => {
    assert.match(DEFAULT_KAFKA_VERSION, /^4\.\d+\.\d+$/);
  });

  it(`runs the release it was asked for (${release.version})`, { skip: notTheLocalBroker() }, () => {
    // The broker's own AppInfoParser line, the last start's.
    assert.equal(reportedKafkaVersion(brokerLog()), release.version);
  });

  it(`answers with the protocol floor of the ${release.line}.x line, and kafkajs still finds a version it speaks`, { skip: notTheLocalBroker() }, async () => {
    const ranges = await brokerApiVersions(process.env['KAFKA_BROKERS']!);
    for (const floor of FLOORS) {
      const range = ranges.find((r) => r.apiKey === floor.apiKey);
      assert.ok(range, `the broker lists no ${floor.name} API`);
      assert.equal(range.minVersion, release.line === 4 ? floor.line4 : floor.line3, `${floor.name}'s oldest version`);
      assert.ok(range.maxVersion >= floor.kafkajs, `${floor.name} only up to v${range.maxVersion}`);
    }
  });
});

function brokerHome(): string {
  return path.join(stateDir(), 'kafka', testStackDataName());
}

function brokerLog(): string {
  return path.join(brokerHome(), 'broker.log');
}

/** With KAFKA_BROKERS naming another cluster the runner starts no broker, and its log (if any) is not that cluster's. */
function notTheLocalBroker(): string | false {
  const properties = path.join(brokerHome(), 'server.properties');
  const advertised = fs.existsSync(properties) ? /^advertised\.listeners=PLAINTEXT:\/\/(\S+)$/m.exec(fs.readFileSync(properties, 'utf8'))?.[1] : undefined;
  return advertised === process.env['KAFKA_BROKERS'] ? false : `KAFKA_BROKERS is not the test stack's local broker (${brokerHome()})`;
}
