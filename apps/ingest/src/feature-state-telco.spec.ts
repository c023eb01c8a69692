import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { foldEvents, loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { stateFeatures } from '@churn/feature-state';
import { customerHistory, parseTelcoCsv, rowFeatures } from '@churn/telco-replay';

const TRAIN_CSV = path.resolve(__dirname, '../../../data/telco/train.csv');

describe('feature state of every Telco customer replayed as events (pure fold under the Telco spec)', () => {
  it('equals the CSV row, in order and shuffled', () => {
    const spec = loadFeatureSpec(TELCO_SPEC_PATH);
    const rows = parseTelcoCsv(fs.readFileSync(TRAIN_CSV));
    assert.equal(rows.length, 5634);
    for (const [i, row] of rows.entries()) {
      const events = customerHistory(row);
      // Every 7th customer gets its events in reverse: last-write-wins must not care.
      const ordered = i % 7 === 0 ? [...events].reverse() : events;
      assert.deepEqual(stateFeatures(spec, foldEvents(spec, ordered)), rowFeatures(row), row.customerID);
    }
  });
});
