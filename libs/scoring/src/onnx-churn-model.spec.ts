import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelRegistryDir } from './model-registry';
import { OnnxChurnModel } from './onnx-churn-model';
import { attributesFromCsvRecord } from './telco-csv';

interface Fixtures {
  baseline: number;
  tolerance: { probability: number; contributions: number };
  customers: { customerID: string; attributes: Record<string, string | number>; churn_probability: number; contributions: Record<string, number> }[];
}

describe('OnnxChurnModel against the trainer (models/active)', () => {
  const registry = new ModelRegistryDir();
  const dir = registry.dirOf(registry.active()!);
  let sut: OnnxChurnModel;

  before(async () => {
    sut = await OnnxChurnModel.load(dir);
  });
  after(() => sut.close());

  it('reproduces every probability of train-predictions.csv exactly', async () => {
    const csv = fs.readFileSync(path.join(registry.root, '..', 'data', 'telco', 'train.csv'), 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1).map((line) => {
      const cells = line.split(',');
      const record = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
      const check = sut.validator.check(attributesFromCsvRecord(sut.card.features, record));
      assert.ok(check.ok, JSON.stringify(check));
      return check.row;
    });
    const expected = fs.readFileSync(path.join(dir, 'train-predictions.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]);
    const scored = await sut.score(rows, { explain: false });
    assert.equal(scored.length, expected.length);
    const mismatches = scored.filter((s, i) => String(s.probability) !== expected[i]).length;
    assert.equal(mismatches, 0);
  });

  it('matches the Python explanation fixtures within their tolerance, in one batched call', async () => {
    const fixtures = JSON.parse(fs.readFileSync(path.join(dir, 'explanation-fixtures.json'), 'utf8')) as Fixtures;
    assert.ok(Math.abs(sut.baseline - fixtures.baseline) < 1e-9);
    // The fixtures include unknown/blank categories: the graph tolerates them, so feed them unvalidated.
    const rows = fixtures.customers.map((c) => sut.featureNames.map((name) => c.attributes[name] ?? ''));
    const scored = await sut.score(rows, { explain: true });
    fixtures.customers.forEach((customer, k) => {
      const s = scored[k]!;
      assert.ok(Math.abs(s.probability - customer.churn_probability) <= fixtures.tolerance.probability, customer.customerID);
      let sum = 0;
      sut.featureNames.forEach((name, j) => {
        const got = s.contributions![j]!;
        sum += got;
        assert.ok(Math.abs(got - customer.contributions[name]!) <= fixtures.tolerance.contributions, `${customer.customerID} ${name}: ${got} vs ${customer.contributions[name]}`);
      });
      assert.ok(Math.abs(sum - (s.probability - sut.baseline)) < 1e-6, 'contributions add up to prediction − baseline');
    });
  });
});
