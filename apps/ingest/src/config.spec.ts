import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FeatureSpecError } from '@churn/feature-spec';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';

describe('ingest configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(ingestConfigSchema);

  it('reads the Telco spec unless FEATURE_SPEC_FILE names another', () => {
    assert.equal(ingestConfigSchema.parse({}).FEATURE_SPEC_FILE, 'specs/telco.yaml');
    assert.doesNotThrow(() => IngestModule.register(ingestConfigSchema.parse({})));
  });

  it('does not start with a spec that does not validate, and lists every problem', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-spec-')), 'bad.yaml');
    fs.writeFileSync(file, 'version: 2\ncustomer_id: {}\nattributes: []\n');
    assert.throws(
      () => IngestModule.register(ingestConfigSchema.parse({ FEATURE_SPEC_FILE: file })),
      (error: unknown) => error instanceof FeatureSpecError && /version/.test(error.message) && /customer_id\.column/.test(error.message),
    );
  });
});
