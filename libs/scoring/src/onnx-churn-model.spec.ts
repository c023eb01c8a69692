import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelRegistryDir } from './model-registry';
import { OnnxChurnModel } from './onnx-churn-model';
import { attributesFromCsvRecord } from './csv-attributes';

interface Fixtures {
  baseline: number;
  tolerance: { probability: number; contributions: number };
  customers: { customerID: string; attributes: Record<string, string | number>; churn_probability: number; contributions: Record<string, number> }[];
}

describe('OnnxChurnModel against the trainer (models/active)', () => {
  const registry = new ModelRegistryDir();
  const dir = registry.dirOf(registry.active()!);
  let sut: OnnxChurnModel;
  let full: OnnxChurnModel;

  before(async () => {
    sut = await OnnxChurnModel.load(dir);
    full = await OnnxChurnModel.load(dir, { explainer: 'full' });
  });
  after(async () => {
    await sut.close();
    await full.close();
  });

  it('uses the additive-logit path for the calibrated logistic regression, after checking it at load', () => {
    assert.equal(sut.explanationPath, 'additive_logit');
    assert.ok(sut.additivity && sut.additivity.additive && sut.additivity.rowsChecked >= 400);
    assert.ok(sut.additivity.maxDifference <= sut.additivity.tolerance);
    assert.equal(full.explanationPath, 'full_evaluation');
    assert.equal(full.additivity, null);
  });

  it("gives the full evaluation's probabilities and contributions (within 1e-6) on 300 training customers", async () => {
    const csv = fs
      .readFileSync(path.join(registry.root, '..', 'data', 'telco', 'train.csv'), 'utf8')
      .trim()
      .split('\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1, 301).map((line) => {
      const cells = line.split(',');
      const check = sut.validator.check(attributesFromCsvRecord(sut.card.features, Object.fromEntries(header.map((h, i) => [h, cells[i]]))));
      assert.ok(check.ok);
      return check.row;
    });
    const fast = await sut.score(rows, { explain: true });
    const reference = await full.score(rows, { explain: true });
    assert.equal(sut.fullEvaluationFallbacks, 0);
    fast.forEach((s, k) => {
      assert.equal(s.probability, reference[k]!.probability);
      s.contributions!.forEach((c, j) => assert.ok(Math.abs(c - reference[k]!.contributions![j]!) < 1e-6, `row ${k} ${sut.featureNames[j]}`));
    });
  });

  it('reproduces every probability of train-predictions.csv exactly', async () => {
    const csv = fs
      .readFileSync(path.join(registry.root, '..', 'data', 'telco', 'train.csv'), 'utf8')
      .trim()
      .split('\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1).map((line) => {
      const cells = line.split(',');
      const record = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
      const check = sut.validator.check(attributesFromCsvRecord(sut.card.features, record));
      assert.ok(check.ok, JSON.stringify(check));
      return check.row;
    });
    const expected = fs
      .readFileSync(path.join(dir, 'train-predictions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    const scored = await sut.score(rows, { explain: false });
    assert.equal(scored.length, expected.length);
    const mismatches = scored.filter((s, i) => String(s.probability) !== expected[i]).length;
    assert.equal(mismatches, 0);
  });

  for (const path_ of ['additive_logit', 'full_evaluation'] as const) {
    it(`matches the Python explanation fixtures within their tolerance, in one batched call (${path_})`, async () => {
      const model = path_ === 'additive_logit' ? sut : full;
      assert.equal(model.explanationPath, path_);
      await fixturesMatch(model);
    });
  }

  async function fixturesMatch(model: OnnxChurnModel): Promise<void> {
    const fixtures = JSON.parse(fs.readFileSync(path.join(dir, 'explanation-fixtures.json'), 'utf8')) as Fixtures;
    assert.ok(Math.abs(model.baseline - fixtures.baseline) < 1e-9);
    // The fixtures include unknown/blank categories: the graph tolerates them, so feed them unvalidated.
    const rows = fixtures.customers.map((c) => model.featureNames.map((name) => c.attributes[name] ?? ''));
    const fallbacks = model.fullEvaluationFallbacks;
    const scored = await model.score(rows, { explain: true });
    // On the additive path every fixture customer (blank/unknown categories too) must be explained by it.
    assert.equal(model.fullEvaluationFallbacks, fallbacks);
    fixtures.customers.forEach((customer, k) => {
      const s = scored[k]!;
      assert.ok(Math.abs(s.probability - customer.churn_probability) <= fixtures.tolerance.probability, customer.customerID);
      let sum = 0;
      model.featureNames.forEach((name, j) => {
        const got = s.contributions![j]!;
        sum += got;
        assert.ok(
          Math.abs(got - customer.contributions[name]!) <= fixtures.tolerance.contributions,
          `${customer.customerID} ${name}: ${got} vs ${customer.contributions[name]}`,
        );
      });
      assert.ok(Math.abs(sum - (s.probability - model.baseline)) < 1e-6, 'contributions add up to prediction − baseline');
    });
  }
});
