import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFeatureSpec, parseFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { checkTrainingColumns, TableColumnsError, trainingColumns } from './table-columns';

const SPEC = parseFeatureSpec(`
version: 1
customer_id: { column: account_id }
label: { column: churned, positive: "true" }
attributes:
  - { name: monthly_spend, column: Monthly Spend, type: numeric, set_by: { event_type: subscription.changed, field: monthly_spend } }
  - { name: plan, type: categorical, categories: [basic, pro], set_by: { event_type: subscription.changed, field: plan } }
derived:
  - { name: tenure, kind: months_since_first, event_type: customer.signed_up }
aggregates:
  - { name: logins_30d, kind: count, event_type: user.logged_in, window_days: 30, model_input: false }
`);

describe('training table columns against the spec', () => {
  it('needs the id, the label and every model input under its column; a feature the model does not read may be there', () => {
    const { required, allowed } = trainingColumns(SPEC);
    assert.deepEqual(required, ['account_id', 'churned', 'Monthly Spend', 'plan', 'tenure']);
    assert.ok(allowed.has('logins_30d'));
    checkTrainingColumns(SPEC, ['account_id', 'plan', 'Monthly Spend', 'tenure', 'churned'], 't.csv');
    checkTrainingColumns(SPEC, ['account_id', 'plan', 'Monthly Spend', 'tenure', 'churned', 'logins_30d'], 't.csv');
  });

  it('names the missing and the undeclared columns', () => {
    assert.throws(
      () => checkTrainingColumns(SPEC, ['account_id', 'monthly_spend', 'plan', 'churned', 'email'], 't.csv'),
      (e: unknown) =>
        e instanceof TableColumnsError &&
        e.message ===
          't.csv does not match its feature spec:\n  missing columns: Monthly Spend, tenure\n  columns the spec does not declare: monthly_spend, email' &&
        e.missing.length === 2 &&
        e.extra.length === 2,
    );
  });

  it('accepts the Telco table with the Telco spec (its behavioural aggregates are not model inputs, not columns)', () => {
    const header =
      'customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn';
    checkTrainingColumns(loadFeatureSpec(TELCO_SPEC_PATH), header.split(','), 'train.csv');
  });
});
