import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FeatureSpecError } from './feature-spec.error';
import { loadFeatureSpec, parseFeatureSpec } from './load-feature-spec';

const MINIMAL = `version: 1
customer_id: { column: account_id }
label: { column: churned, positive: "true" }
attributes:
  - name: plan
    type: categorical
    categories: [basic, pro, enterprise]
    set_by: { event_type: subscription.changed, field: plan }
aggregates:
  - name: high_tickets_90d
    kind: count
    event_type: support.ticket_opened
    window_days: 90
    filter: { field: severity, op: in, value: [high, critical] }
`;

function problemsOf(text: string): readonly string[] {
  try {
    parseFeatureSpec(text, 'test.yaml');
  } catch (error) {
    assert.ok(error instanceof FeatureSpecError, String(error));
    assert.equal(error.code, 'FEATURE_SPEC_INVALID');
    return error.problems;
  }
  assert.fail('the spec was accepted');
}

describe('parseFeatureSpec', () => {
  it('accepts a minimal spec and applies the defaults', () => {
    const spec = parseFeatureSpec(MINIMAL);
    assert.equal(spec.attributes[0]!.name, 'plan');
    assert.equal(spec.attributes[0]!.optional, false);
    assert.equal(spec.attributes[0]!.model_input, true);
    assert.deepEqual(spec.derived, []);
    assert.deepEqual(spec.aggregates[0]!.filter, { field: 'severity', op: 'in', value: ['high', 'critical'] });
  });

  it('defaults a boolean to 1 / 0, and reads open-ended categoricals and derived features', () => {
    const spec = parseFeatureSpec(`version: 1
customer_id: { column: id }
attributes:
  - { name: is_annual, type: boolean, set_by: { event_type: subscription.changed, field: is_annual } }
  - { name: region, type: categorical, max_categories: 10, set_by: { event_type: subscription.changed, field: region } }
derived:
  - { name: months, kind: months_since_first, event_type: customer.signed_up }
  - { name: spend, kind: lifetime_sum, event_type: invoice.paid, field: amount, decimals: 2 }
`);
    const [annual, region] = spec.attributes;
    assert.ok(annual?.type === 'boolean' && region?.type === 'categorical');
    assert.deepEqual([annual.true_value, annual.false_value], [1, 0]);
    assert.equal(region.max_categories, 10);
    assert.deepEqual(
      spec.derived.map((d) => d.kind),
      ['months_since_first', 'lifetime_sum'],
    );
    assert.equal(spec.label, undefined);
  });

  it('collects every problem of the file, each with its path', () => {
    const problems = problemsOf(
      `version: 2
customer_id: { column: id }
label: { column: churned, positive: true }
attributes:
  - { name: plan, type: categorical, categories: [basic], set_by: { event_type: subscription.changed, field: plan } }
  - { name: region, type: categorical, categories: [eu, us], max_categories: 5, set_by: { event_type: subscription.changed, field: region } }
  - { name: plan, type: numeric, set_by: { event_type: subscription.changed, field: seats } }
  - { name: annual, type: boolean, true_value: "Yes", false_value: 0, set_by: { event_type: subscription.changed, field: annual } }
  - { name: id, type: numeric, set_by: { event_type: Subscription, field: id } }
  - { name: colour, type: color, set_by: { event_type: subscription.changed, field: colour } }
  - { name: seats, type: numeric, set_by: { event_type: subscription.changed, field: seats }, catgories: [a, b] }
derived:
  - { name: lifetime, kind: lifetime_sum, event_type: invoice.paid, field: invoice_id }
aggregates:
  - { name: failures, kind: count, event_type: payment.failed, field: amount }
  - { name: big_tickets, kind: count, event_type: support.ticket_opened, window_days: 30, filter: { field: severity, op: gte, value: high } }
  - { name: urgent, kind: count, event_type: support.ticket_opened, window_days: 30, filter: { field: severity, op: eq, value: urgent } }
  - { name: usage, kind: trend, event_type: usage.reported, window_days: 30 }
  - { name: spend, kind: mean, event_type: usage.reported, field: amount, window_days: 30 }
  - { name: last_failure, kind: days_since, event_type: payment.failed }
`.replace(
        'attributes:\n',
        'attributes:\n  - { name: metric, type: numeric, set_by: { event_type: usage.reported, field: metric } }\n  - { name: reason, type: categorical, max_categories: 5, set_by: { event_type: payment.failed, field: cause } }\n',
      ),
    );
    const expected = [
      'attributes[0].set_by.field: usage.reported.metric holds a string, not what a numeric attribute takes (a number)',
      'attributes[1].set_by.field: payment.failed has no payload field "cause" (it has invoice_id, amount, reason)',
      'version: must be 1',
      'label.positive: must be a string, as the column spells it',
      'attributes[2].categories: must list at least 2 categories',
      'attributes[3].max_categories: give either categories or max_categories, not both',
      'attributes[4].name: "plan" is also attributes[2].name',
      'attributes[5].false_value: true_value and false_value must both be numbers or both strings',
      'attributes[6].set_by.event_type: must be an event type',
      'attributes[6].name: "id" is the customer_id column',
      'attributes[7].type: type must be numeric, boolean or categorical',
      'attributes[8]: Unrecognized key: "catgories"',
      'derived[0].field: invoice.paid.invoice_id is not a number',
      'aggregates[0].field: count does not read a field',
      'aggregates[0].window_days: count needs window_days',
      'aggregates[1].filter.value: gte compares numbers',
      'aggregates[1].filter.op: support.ticket_opened.severity is not a number',
      'aggregates[2].filter.value: support.ticket_opened.severity is one of low, medium, high, critical; "urgent" never occurs',
      'aggregates[3].measure: trend needs measure',
      'aggregates[4].field: usage.reported has no payload field "amount"',
    ];
    for (const start of expected)
      assert.ok(
        problems.some((p) => p.startsWith(start)),
        `missing "${start}" in:\n${problems.join('\n')}`,
      );
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });

  it('names the line and column of a YAML syntax error', () => {
    assert.deepEqual(problemsOf('version: 1\nattributes: [a\ncustomer_id: x\n').length, 1);
    assert.match(problemsOf('version: 1\nversion: 1\n')[0]!, /^line 2, column 1: Map keys must be unique/);
  });

  it('refuses an empty file and a spec without features', () => {
    assert.match(problemsOf('')[0]!, /the file is empty/);
    assert.deepEqual(problemsOf('version: 1\ncustomer_id: { column: id }\n'), ['declares no feature: give attributes, derived features or aggregates']);
  });

  it('refuses a spec whose every feature is kept out of the model', () => {
    assert.deepEqual(
      problemsOf(
        MINIMAL.replace('    set_by:', '    model_input: false\n    set_by:').replace('    window_days: 90', '    window_days: 90\n    model_input: false'),
      ),
      ['no feature is a model input (every one has model_input: false)'],
    );
  });
});

describe('loadFeatureSpec', () => {
  it('reads a file, and names it in the error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feature-spec-'));
    try {
      const file = path.join(dir, 'spec.yaml');
      fs.writeFileSync(file, MINIMAL);
      assert.equal(loadFeatureSpec(file).customer_id.column, 'account_id');
      fs.writeFileSync(file, MINIMAL.replace('categories: [basic, pro, enterprise]', 'categories: []'));
      assert.throws(
        () => loadFeatureSpec(file),
        (error: FeatureSpecError) =>
          error.message.startsWith(`${file}: 1 problem`) && error.problems[0] === 'attributes[0].categories: must list at least 2 categories',
      );
      assert.throws(() => loadFeatureSpec(path.join(dir, 'missing.yaml')), /cannot read the file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
