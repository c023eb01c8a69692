import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import type { CustomerListRow } from '@churn/monitoring-data';
import { customerCsvChunk, customerCsvColumns, spreadsheetSafe } from './customer-csv';
import { CustomerSpecView } from './customer-spec-view';

const spec = new CustomerSpecView(
  featureSpecEnvSchema.parse({ FEATURE_SPEC_FILE: path.resolve(__dirname, '..', '..', '..', '..', 'specs', 'telco.yaml') }).FEATURE_SPEC_FILE,
);
const row: CustomerListRow = {
  customer_id: 'C-1',
  risk_score: 82,
  risk_level: 'critical',
  churn_probability: 0.82,
  score_change: -3,
  revenue_at_risk: 1234.5,
  model_version: 'v1',
  scored_at: new Date('2026-12-01T10:00:00Z'),
  alert_id: 'A-1',
  alert_level: 'critical',
  alert_state: 'pending',
  alert_due_at: null,
  experiment_name: 'exp',
  experiment_arm: 'treatment',
  attributes: { Contract: 'Month-to-month, monthly', gender: '=HYPERLINK("x")', MonthlyCharges: 70.1 },
  crm_task_open: true,
};

describe('customer CSV', () => {
  it('writes the header once, then one record per row, quoted where needed', () => {
    const text = customerCsvChunk(spec, [row], true) + customerCsvChunk(spec, [row], false);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    assert.equal(records.length, 2);
    assert.deepEqual(Object.keys(records[0]!), customerCsvColumns(spec));
    assert.equal(records[0]!['attr.Contract'], 'Month-to-month, monthly');
    assert.equal(records[0]!['score_change'], '-3');
    assert.equal(records[0]!['crm_task_open'], 'true');
    assert.equal(records[0]!['attr.PaymentMethod'], '', 'an attribute the vector lacks is empty');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    assert.equal(spreadsheetSafe('=1+1'), "'=1+1");
    assert.equal(spreadsheetSafe('-cmd'), "'-cmd");
    assert.equal(spreadsheetSafe(-3), -3);
    assert.equal(spreadsheetSafe('Month-to-month'), 'Month-to-month');
  });
});
