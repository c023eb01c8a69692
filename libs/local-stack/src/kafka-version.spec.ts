import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareKafkaVersions, DEFAULT_KAFKA_VERSION, kafkaRelease, KafkaVersionError } from './kafka-version';
import { REPO_ROOT } from './paths';

describe('kafkaRelease', () => {
  it('runs the 4.x default when CHURN_KAFKA_VERSION is unset or empty', () => {
    assert.deepEqual(kafkaRelease({}), { version: DEFAULT_KAFKA_VERSION, line: 4 });
    assert.deepEqual(kafkaRelease({ CHURN_KAFKA_VERSION: '' }), { version: DEFAULT_KAFKA_VERSION, line: 4 });
  });

  it('selects another 4.x release or the 3.9 line', () => {
    assert.deepEqual(kafkaRelease({ CHURN_KAFKA_VERSION: '4.1.0' }), { version: '4.1.0', line: 4 });
    assert.deepEqual(kafkaRelease({ CHURN_KAFKA_VERSION: '3.9.1' }), { version: '3.9.1', line: 3 });
  });

  it('refuses what the local broker cannot run, naming the variable', () => {
    for (const version of ['3.8.1', '2.8.2', '5.0.0', '4.1', 'latest', '4.1.0-rc1']) {
      assert.throws(
        () => kafkaRelease({ CHURN_KAFKA_VERSION: version }),
        (error: unknown) => error instanceof KafkaVersionError && error.code === 'KAFKA_VERSION_UNSUPPORTED' && /CHURN_KAFKA_VERSION/.test(error.message),
        version,
      );
    }
  });
});

describe('DEFAULT_KAFKA_VERSION', () => {
  it('is the release deploy/local/kafka/pom.xml resolves when called without -Dkafka.version', () => {
    const pom = fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'local', 'kafka', 'pom.xml'), 'utf8');
    assert.equal(/<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1], DEFAULT_KAFKA_VERSION);
  });
});

describe('compareKafkaVersions', () => {
  it('orders by major, minor and patch numbers, not as text', () => {
    assert.ok(compareKafkaVersions('3.9.1', '4.4.0') < 0);
    assert.ok(compareKafkaVersions('4.10.0', '4.4.0') > 0);
    assert.ok(compareKafkaVersions('4.4.1', '4.4.0') > 0);
    assert.equal(compareKafkaVersions('4.4.0', '4.4.0'), 0);
  });
});
