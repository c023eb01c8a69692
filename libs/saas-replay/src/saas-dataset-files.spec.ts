import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EVENTS_FILE, README_FILE, TABLE_FILE, writeSaasDataset } from './saas-dataset-files';
import type { FeatureVectorSource } from './point-in-time-table';
import { SAAS_ATTRIBUTES_SPEC_PATH } from './saas-spec-paths';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'saas-dataset-'));
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('writeSaasDataset', () => {
  it('writes the same files for the same seed, labelled synthetic', () => {
    const [a, b] = [tmp(), tmp()];
    const summary = writeSaasDataset({ outDir: a, customers: 20, seed: 9 });
    writeSaasDataset({ outDir: b, customers: 20, seed: 9 });
    assert.deepEqual(summary.files, [EVENTS_FILE, README_FILE]);
    assert.equal(read(a, EVENTS_FILE), read(b, EVENTS_FILE));
    assert.equal(read(a, EVENTS_FILE).trim().split('\n').length, summary.events);
    assert.equal(read(a, README_FILE).replaceAll(a, ''), read(b, README_FILE).replaceAll(b, ''));
    assert.match(read(a, README_FILE), /^# SYNTHETIC DATA/);
  });

  it('writes the customer table with a spec and a vector source', () => {
    const dir = tmp();
    const source: FeatureVectorSource = { vectorAt: () => ({ region: 'europe' }) };
    const summary = writeSaasDataset({ outDir: dir, customers: 30, seed: 9, specPath: SAAS_ATTRIBUTES_SPEC_PATH }, source);
    const lines = read(dir, TABLE_FILE).trim().split('\n');
    assert.equal(lines[0], 'customer_id,region,acquisition_channel,plan,seats,billing_cycle,monthly_price,tenure_months,lifetime_invoiced,churned');
    assert.equal(lines.length - 1, summary.tableRows);
    assert.ok(lines.slice(1).every((line) => /^synth-\d{6},europe,,,,,,,,(yes|no)$/.test(line)));
  });
});
