import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { featureColumns, loadFeatureSpec, parseFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { TELCO_CSV } from '../commands/telco-csv';
import { readCustomerTable } from './customer-table';
import { draftToYaml, inferSpec } from './infer-spec';

/** A table with columns nobody on the team chose. */
const SAAS = [
  'account_id,plan,seats,region,monthly_spend,is_annual,Sign-up Channel,currency,churned',
  'A-1,basic,3,eu-west,49.5,yes,Web Form,EUR,false',
  'A-2,pro,12,us-east,199,no,Partner,EUR,true',
  'A-3,enterprise,250,ap-south,,No,Web Form,EUR,false',
  'A-4,pro,8,eu-central,120.25,YES,Sales,EUR,false',
  'A-5,basic,1,us-west,19,no,Web Form,EUR,true',
  'A-6,pro,20,sa-east,210,yes,Partner,EUR,false',
].join('\n');

function draftOf(csv: string, idColumn = 'account_id', labelColumn = 'churned', maxListedCategories?: number) {
  return inferSpec(readCustomerTable(csv, 'table.csv'), { idColumn, labelColumn, ...(maxListedCategories ? { maxListedCategories } : {}) });
}

describe('inferSpec on data/telco/train.csv', () => {
  const draft = inferSpec(readCustomerTable(fs.readFileSync(TELCO_CSV), TELCO_CSV), { idColumn: 'customerID', labelColumn: 'Churn' });
  const spec = parseFeatureSpec(draftToYaml(draft), 'draft.yaml');

  it('drafts a spec the loader accepts, with the id and the label recognised', () => {
    assert.deepEqual(spec.customer_id, { column: 'customerID' });
    assert.deepEqual(spec.label, { column: 'Churn', positive: 'Yes' });
    assert.ok(!spec.attributes.some((a) => a.name === 'customerID' || a.name === 'Churn'));
  });

  it('gives the 19 attributes the types and categories of the Telco spec', () => {
    const telco = featureColumns(loadFeatureSpec(TELCO_SPEC_PATH)).filter((c) => c.modelInput);
    const drafted = featureColumns(spec);
    assert.equal(drafted.length, 19);
    assert.deepEqual(
      drafted.map((c) => ({ name: c.name, type: c.type, categories: c.categories })).sort((a, b) => a.name.localeCompare(b.name)),
      telco.map((c) => ({ name: c.name, type: c.type, categories: c.categories })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('reads blank TotalCharges as missing values and says so', () => {
    const total = spec.attributes.find((a) => a.name === 'TotalCharges');
    assert.equal(total?.type, 'numeric');
    assert.equal(total?.optional, true);
    assert.ok(
      draft.notes.some((n) => /^TotalCharges: blank in \d+ of 5634 rows/.test(n)),
      draft.notes.join('\n'),
    );
  });
});

describe('inferSpec on a table nobody chose the columns of', () => {
  it('recognises booleans in any case, numbers with blanks, listed and open-ended categories, and odd column names', () => {
    const draft = draftOf(SAAS, 'account_id', 'churned', 4);
    const yaml = draftToYaml(draft);
    const spec = parseFeatureSpec(yaml, 'draft.yaml');
    assert.deepEqual(spec.label, { column: 'churned', positive: 'true' });
    const byName = Object.fromEntries(spec.attributes.map((a) => [a.name, a]));
    assert.deepEqual(Object.keys(byName), ['plan', 'seats', 'region', 'monthly_spend', 'is_annual', 'sign_up_channel']);
    assert.deepEqual(byName['plan'], {
      name: 'plan',
      type: 'categorical',
      categories: ['basic', 'enterprise', 'pro'],
      set_by: { event_type: 'subscription.changed', field: 'plan' },
      optional: false,
      model_input: true,
    });
    assert.equal(byName['seats']?.type, 'numeric');
    // Six regions, a cap of four: open-ended; and each region appears once, which the notes question.
    assert.ok(byName['region']?.type === 'categorical' && byName['region'].max_categories === 4 && byName['region'].categories === undefined);
    assert.ok(
      draft.notes.some((n) => n.startsWith('region: a different value in every row')),
      draft.notes.join('\n'),
    );
    assert.ok(byName['monthly_spend']?.type === 'numeric' && byName['monthly_spend'].optional);
    assert.equal(byName['is_annual']?.type, 'boolean');
    assert.deepEqual(byName['sign_up_channel'], {
      name: 'sign_up_channel',
      column: 'Sign-up Channel',
      type: 'categorical',
      categories: ['Partner', 'Sales', 'Web Form'],
      set_by: { event_type: 'subscription.changed', field: 'sign_up_channel' },
      optional: false,
      model_input: true,
    });
    assert.ok(
      draft.notes.some((n) => n === 'currency: "EUR" in every row (it tells no customer from another), left out'),
      draft.notes.join('\n'),
    );
    assert.match(yaml, /^# A DRAFT feature spec/);
  });

  it('recognises the positive label from yes/no, 1/0 and y/n too', () => {
    const relabel = (yes: string, no: string) => SAAS.replace(/,true$/gm, `,${yes}`).replace(/,false$/gm, `,${no}`);
    assert.equal(draftOf(relabel('Yes', 'No')).spec.label?.positive, 'Yes');
    assert.equal(draftOf(relabel('1', '0')).spec.label?.positive, '1');
    assert.equal(draftOf(relabel('N', 'Y').replace(/,N$/gm, ',n')).spec.label?.positive, 'Y');
  });
});

describe('inferSpec refuses bad input with the column or line', () => {
  it('an unknown --id or --label, naming the columns that exist', () => {
    assert.throws(
      () => draftOf(SAAS, 'id'),
      /^CustomerTableError: --id "id" is not a column of table\.csv; its columns are: account_id, plan, seats, region, monthly_spend, is_annual, Sign-up Channel, currency, churned$/,
    );
    assert.throws(() => draftOf(SAAS, 'account_id', 'Churn'), /--label "Churn" is not a column of table\.csv/);
  });

  it('a label whose positive value cannot be told, naming the values seen', () => {
    assert.throws(
      () => draftOf(SAAS, 'account_id', 'plan'),
      /cannot tell which value of the label column "plan" means churned: it holds "basic", "enterprise", "pro"/,
    );
    assert.throws(() => draftOf(SAAS.replace(/,true$/gm, ',churned'), 'account_id', 'churned'), /it holds "churned", "false"/);
    assert.throws(() => draftOf(SAAS.replace('EUR,false', 'EUR,'), 'account_id', 'churned'), /table\.csv: line 2: the label column "churned" is blank/);
  });

  it('an id column that repeats an id or has a blank one', () => {
    assert.throws(() => draftOf(SAAS.replace('A-4', 'A-2')), /table\.csv: line 5: id "A-2" of column "account_id" is also on line 3/);
    assert.throws(() => draftOf(SAAS.replace('A-4', '')), /table\.csv: line 5: the id column "account_id" is blank/);
  });

  it('an empty file, a header alone, a ragged row', () => {
    assert.throws(() => readCustomerTable('', 'empty.csv'), /^CustomerTableError: empty\.csv: the file is empty/);
    assert.throws(() => readCustomerTable('\n\n', 'empty.csv'), /empty\.csv: the file is empty/);
    assert.throws(() => readCustomerTable('a,b\n', 'head.csv'), /head\.csv: the header is the only row/);
    const ragged = SAAS.split('\n');
    ragged[4] = ragged[4]!.replace(',YES,', ',');
    assert.throws(() => readCustomerTable(ragged.join('\n'), 'ragged.csv'), /ragged\.csv: line 5 has 8 fields, the header has 9/);
    assert.throws(() => readCustomerTable('a,a\n1,2\n', 'dup.csv'), /dup\.csv: line 1: column "a" appears twice in the header/);
  });
});
