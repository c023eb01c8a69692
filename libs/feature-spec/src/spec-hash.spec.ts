import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFeatureSpec } from './load-feature-spec';
import { canonicalJson, specHash } from './spec-hash';

const SPEC = `# a comment
version: 1
customer_id: { column: id }
attributes:
  - name: seats
    type: numeric
    set_by: { event_type: subscription.changed, field: seats }
  - name: plan
    type: categorical
    categories: [basic, pro]
    set_by: { event_type: subscription.changed, field: plan }
`;

// The same spec: keys reordered, other comments, flow style, a default spelt out.
const SAME = `customer_id:
  column: id # the id
attributes:
  - { set_by: { field: seats, event_type: subscription.changed }, type: numeric, name: seats, optional: false }
  - { categories: [basic, pro], name: plan, set_by: { event_type: subscription.changed, field: plan }, type: categorical, model_input: true }
version: 1
`;

describe('specHash', () => {
  it('is the same for the same spec whatever the key order, comments, style or spelt-out defaults', () => {
    assert.equal(specHash(parseFeatureSpec(SPEC)), specHash(parseFeatureSpec(SAME)));
    assert.match(specHash(parseFeatureSpec(SPEC)), /^[0-9a-f]{64}$/);
  });

  it('ignores descriptions: prose for people, which changes no feature', () => {
    const described = SPEC.replace('version: 1', 'version: 1\ndescription: seats and plans').replace(
      '    type: numeric',
      '    type: numeric\n    description: licences bought',
    );
    assert.notEqual(described, SPEC);
    assert.equal(specHash(parseFeatureSpec(described)), specHash(parseFeatureSpec(SPEC)));
  });

  it('changes with any change of content, including the order of the features', () => {
    const base = specHash(parseFeatureSpec(SPEC));
    assert.notEqual(specHash(parseFeatureSpec(SPEC.replace('[basic, pro]', '[basic, pro, team]'))), base);
    assert.notEqual(specHash(parseFeatureSpec(SPEC.replace('field: seats', 'field: licences'))), base);
    const swapped = SPEC.replace(/( {2}- name: seats[\s\S]*?)( {2}- name: plan[\s\S]*)$/, '$2$1');
    assert.notEqual(swapped, SPEC);
    assert.notEqual(specHash(parseFeatureSpec(swapped)), base);
  });

  it('canonical JSON sorts keys at every depth and keeps array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null }, e: undefined }), '{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
