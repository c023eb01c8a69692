import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { featureSpecSchema } from './feature-spec.schema';

/** The committed JSON Schema, for the Python trainer and editors (a unit test keeps it equal to the generated one). */
export const FEATURE_SPEC_JSON_SCHEMA_PATH = path.resolve(__dirname, '..', 'feature-spec.schema.json');

/** How to rewrite the committed file after a schema change. */
export const REGENERATE_JSON_SCHEMA = 'npx tsc -b libs/feature-spec && node libs/feature-spec/dist/feature-spec-json-schema.js';

/**
 * The spec's JSON Schema as a file, as written (io: 'input': fields with a default are optional). The
 * checks across fields (unique names, what each aggregate kind needs) are the loader's: JSON Schema
 * validates the shape.
 */
export function featureSpecJsonSchemaText(): string {
  const schema = z.toJSONSchema(featureSpecSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: 'https://churn-radar.local/feature-spec.schema.json', title: 'Churn Radar feature specification' }, null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(FEATURE_SPEC_JSON_SCHEMA_PATH, featureSpecJsonSchemaText());
  process.stdout.write(`wrote ${FEATURE_SPEC_JSON_SCHEMA_PATH}\n`);
}
