import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { ValidationError } from '@churn/service-kit';
import { parseCustomerListQuery } from './customer-list-query';
import { CustomerSpecView } from './customer-spec-view';

const SPECS = path.resolve(__dirname, '..', '..', '..', '..', 'specs');
const telco = new CustomerSpecView(featureSpecEnvSchema.parse({ FEATURE_SPEC_FILE: path.join(SPECS, 'telco.yaml') }).FEATURE_SPEC_FILE);

function refusal(query: Record<string, unknown>): { fields: { field: string; message: string }[] } {
  try {
    parseCustomerListQuery(query, telco);
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return { fields: [...error.errors] };
  }
  assert.fail('expected a 400');
}

describe('parseCustomerListQuery', () => {
  it('defaults: every customer, highest score first, page 1 of 50', () => {
    const sut = parseCustomerListQuery({}, telco);
    assert.deepEqual(sut, { filter: {}, sort: { key: 'score', direction: 'desc' }, page: 1, pageSize: 50, format: undefined });
  });

  it('reads every filter, comma-separated or repeated', () => {
    const sut = parseCustomerListQuery(
      {
        q: ' 7590 ',
        risk_level: 'high,critical',
        score_min: '60',
        score_max: '95',
        alert_state: ['pending', 'none'],
        arm: 'control,treatment',
        'attr.Contract': 'Month-to-month,One year',
        'attr.MonthlyCharges': '29.85',
        'attr.SeniorCitizen': 'true',
        'attr.Partner': 'No',
        sort: 'score_change',
        page: '3',
        page_size: '200',
        format: 'csv',
      },
      telco,
    );
    assert.deepEqual(sut.filter, {
      q: '7590',
      riskLevels: ['high', 'critical'],
      scoreMin: 60,
      scoreMax: 95,
      alertStates: ['pending', 'none'],
      arms: ['control', 'treatment'],
      attributes: [
        { name: 'Contract', values: ['Month-to-month', 'One year'] },
        { name: 'MonthlyCharges', values: [29.85] },
        { name: 'SeniorCitizen', values: [1] },
        { name: 'Partner', values: ['No'] },
      ],
    });
    assert.deepEqual(sut.sort, { key: 'score_change', direction: 'asc' });
    assert.deepEqual([sut.page, sut.pageSize, sut.format], [3, 200, 'csv']);
  });

  it('names an attribute the active spec does not have, and lists those it has', () => {
    const { fields } = refusal({ 'attr.plan': 'pro' });
    assert.equal(fields[0]!.field, 'attr.plan');
    assert.match(fields[0]!.message, /not an attribute of the active feature spec \(telco\); attributes: gender, SeniorCitizen/);
  });

  it('refuses values of the wrong type or outside the categories, naming the parameter', () => {
    const { fields } = refusal({ 'attr.MonthlyCharges': 'lots', 'attr.Contract': 'Forever', 'attr.SeniorCitizen': 'maybe', 'attr.gender': '' });
    assert.deepEqual(
      fields.map((f) => f.field),
      ['attr.MonthlyCharges', 'attr.Contract', 'attr.SeniorCitizen', 'attr.gender'],
    );
    assert.match(fields[1]!.message, /"Forever" is not a category of Contract: Month-to-month, One year, Two year/);
  });

  it('refuses malformed fixed parameters, every one named', () => {
    const { fields } = refusal({ risk_level: 'urgent', score_min: '80.5', sort: 'name', page: '0', page_size: '500', alert_state: 'open', colour: 'red' });
    assert.deepEqual(fields.map((f) => f.field).sort(), ['alert_state', 'colour', 'page', 'page_size', 'risk_level', 'score_min', 'sort'].sort());
    assert.deepEqual(refusal({ score_min: '80', score_max: '20' }).fields, [{ field: 'score_max', message: 'must not be below score_min' }]);
  });

  it('refuses a repeated single-valued parameter and control characters', () => {
    assert.deepEqual(
      refusal({ sort: ['score', '-score'] }).fields.map((f) => f.field),
      ['sort'],
    );
    assert.deepEqual(
      refusal({ q: 'a\u0000b' }).fields.map((f) => f.field),
      ['q'],
    );
  });

  it('reads a leading minus as descending for every sort key', () => {
    for (const key of ['score', 'score_change', 'revenue_at_risk']) {
      assert.deepEqual(parseCustomerListQuery({ sort: `-${key}` }, telco).sort, { key, direction: 'desc' });
    }
  });
});
