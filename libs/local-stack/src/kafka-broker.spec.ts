import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { LocalKafkaBroker } from './kafka-broker';
import { KafkaDataNewerError } from './kafka-version';

describe('LocalKafkaBroker on data a newer release wrote', () => {
  const previousStateDir = process.env['CHURN_STATE_DIR'];
  let stateDir: string;

  before(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-kafka-broker-spec-'));
    process.env['CHURN_STATE_DIR'] = stateDir;
  });
  after(() => {
    if (previousStateDir === undefined) delete process.env['CHURN_STATE_DIR'];
    else process.env['CHURN_STATE_DIR'] = previousStateDir;
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('refuses to start an older release there, before resolving jars or spawning anything', async () => {
    const home = path.join(stateDir, 'kafka', 'spec');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'data-written-by'), '4.4.0');
    const sut = new LocalKafkaBroker(
      { name: 'spec', port: 1, controllerPort: 2, release: { version: '3.9.1', line: 3 } },
      createLogger({ service: 'kafka-broker-spec', level: 'silent' }),
    );
    await assert.rejects(sut.start(), (error: unknown) => error instanceof KafkaDataNewerError && error.writtenBy === '4.4.0' && error.message.includes(home));
    assert.deepEqual(fs.readdirSync(home), ['data-written-by']);
    assert.equal(fs.existsSync(path.join(stateDir, 'kafka', 'jars-3.9.1')), false);
  });
});
