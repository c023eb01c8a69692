import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EVENTS_FILE, README_FILE, tableFile, writeSaasDataset } from './saas-dataset-files';
import { SAAS_ATTRIBUTES_SPEC_PATH, SAAS_SPEC_PATH } from './saas-spec-paths';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'saas-dataset-'));
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('writeSaasDataset', () => {
  it('writes the same files for the same seed, labelled synthetic', () => {
    const [a, b] = [tmp(), tmp()];
    const options = { customers: 40, seed: 9, specPaths: [SAAS_SPEC_PATH, SAAS_ATTRIBUTES_SPEC_PATH] };
    const summary = writeSaasDataset({ ...options, outDir: a });
    writeSaasDataset({ ...options, outDir: b });
    const tables = [tableFile('saas'), tableFile('saas-attributes')];
    assert.deepEqual(summary.files, [EVENTS_FILE, ...tables, README_FILE]);
    for (const file of [EVENTS_FILE, ...tables]) assert.equal(read(a, file), read(b, file), file);
    assert.equal(read(a, README_FILE).replaceAll(a, ''), read(b, README_FILE).replaceAll(b, ''));
    assert.match(read(a, README_FILE), /^# SYNTHETIC DATA/);
    assert.match(read(a, README_FILE), /--spec specs\/saas\.yaml --spec specs\/saas-attributes\.yaml/);
    assert.equal(read(a, EVENTS_FILE).trim().split('\n').length, summary.events);
  });

  it('writes one table per spec over the same customers, each with its own columns', () => {
    const dir = tmp();
    const summary = writeSaasDataset({ outDir: dir, customers: 40, seed: 9, specPaths: [SAAS_SPEC_PATH, SAAS_ATTRIBUTES_SPEC_PATH] });
    const [withBehaviour, attributesOnly] = summary.tables.map((t) => read(dir, t.file).trim().split('\n'));
    assert.equal(attributesOnly![0], 'customer_id,region,acquisition_channel,plan,seats,billing_cycle,monthly_price,tenure_months,lifetime_invoiced,churned');
    assert.match(withBehaviour![0]!, /^customer_id,region,.*,lifetime_invoiced,payment_failures_30d,.*,days_since_last_login,churned$/);
    const idsAndLabels = (lines: readonly string[]) => lines.slice(1).map((line) => `${line.split(',')[0]} ${line.split(',').pop()}`);
    assert.deepEqual(idsAndLabels(withBehaviour!), idsAndLabels(attributesOnly!));
    assert.equal(summary.tables[0]!.rows, withBehaviour!.length - 1);
  });

  it('names a spec that does not validate', () => {
    const spec = path.join(tmp(), 'broken.yaml');
    fs.writeFileSync(spec, 'version: 1\ncustomer_id: { column: id }\n');
    assert.throws(() => writeSaasDataset({ outDir: tmp(), customers: 5, seed: 1, specPaths: [spec] }), /broken\.yaml/);
  });
});
