import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { FEATURE_SPEC_JSON_SCHEMA_PATH, featureSpecJsonSchemaText, REGENERATE_JSON_SCHEMA } from './feature-spec-json-schema';

describe('feature-spec.schema.json', () => {
  it('is the JSON Schema the spec schema generates today', () => {
    const committed = fs.existsSync(FEATURE_SPEC_JSON_SCHEMA_PATH) ? fs.readFileSync(FEATURE_SPEC_JSON_SCHEMA_PATH, 'utf8') : '';
    assert.ok(
      committed === featureSpecJsonSchemaText(),
      `${FEATURE_SPEC_JSON_SCHEMA_PATH} is out of date with the spec schema: regenerate it with\n  ${REGENERATE_JSON_SCHEMA}`,
    );
  });

  it('documents every property it declares', () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${at}[${i}]`));
      if (node === null || typeof node !== 'object') return;
      const object = node as Record<string, unknown>;
      if (object['properties'] && typeof object['properties'] === 'object') {
        for (const [key, property] of Object.entries(object['properties'] as Record<string, { description?: string }>)) {
          if (!property.description) undocumented.push(`${at}.${key}`);
        }
      }
      for (const [key, value] of Object.entries(object)) visit(value, `${at}.${key}`);
    };
    visit(JSON.parse(featureSpecJsonSchemaText()), '$');
    assert.deepEqual(undocumented, []);
  });
});
