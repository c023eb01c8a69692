import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelRegistryDir, shortHash } from '@churn/scoring';
import { startService } from '@churn/service-kit';
import { metricSum, serviceTestEnv } from '@churn/testing';
import { scorerConfigSchema } from './config';
import { ScorerModule } from './scorer.module';
import { copyModelWithSpec, telcoVariantSpec } from './scorer-spec-support';

const SAAS_SPEC = path.resolve(__dirname, '../../../specs/saas.yaml');

/** What the scorer serves at start when the registry offers versions of another spec than FEATURE_SPEC_FILE. */
describe('scorer start with model versions of another feature spec', () => {
  const real = new ModelRegistryDir();
  const active = real.active()!;
  const variant = `${active}-variant`;
  let registryDir: string;
  const start = (env: Record<string, string>) =>
    startService({
      name: 'scorer',
      configSchema: scorerConfigSchema,
      module: (c) => ScorerModule.register(c),
      env: serviceTestEnv({ MODEL_REGISTRY_DIR: registryDir, SCORER_STREAM_ENABLED: 'false', ...env }),
    });

  before(() => {
    registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-registry-'));
    fs.cpSync(real.dirOf(active), path.join(registryDir, active), { recursive: true });
    copyModelWithSpec(real.dirOf(active), registryDir, variant, telcoVariantSpec());
    fs.writeFileSync(path.join(registryDir, 'active'), `${active}\n`);
  });

  after(() => fs.rmSync(registryDir, { recursive: true, force: true }));

  it('does not make a MODEL_DIR of another spec champion: it serves a version of its own spec and counts the refusal', async () => {
    const sut = await start({ MODEL_DIR: path.join(registryDir, variant) });
    try {
      const list = (await (await fetch(`${sut.url}/v1/models`)).json()) as {
        models: { version: string; role: string; serving_on_this_instance: string | null }[];
      };
      const champion = list.models.find((m) => m.serving_on_this_instance === 'champion');
      assert.ok(champion && champion.version !== variant, `serving ${champion?.version}`);
      assert.equal(list.models.find((m) => m.version === variant)?.role, 'registered');
      assert.equal(await metricSum(sut.url, 'scorer_spec_mismatch_total', { role: 'champion', source: 'startup' }), 1);
    } finally {
      await sut.close();
    }
  });

  it('stops at start, saying which spec it runs and which specs the versions have, when no version is of its spec', async () => {
    const saas = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-registry-'));
    try {
      copyModelWithSpec(real.dirOf(active), saas, variant, telcoVariantSpec());
      fs.writeFileSync(path.join(saas, 'active'), `${variant}\n`);
      // Every registered version counts, those other instances registered too: none is of the saas spec.
      await assert.rejects(start({ FEATURE_SPEC_FILE: SAAS_SPEC, MODEL_REGISTRY_DIR: saas }), (error: Error) => {
        assert.match(
          error.message,
          /^no model version is of the spec this scorer runs, saas \([0-9a-f]{12}\) from FEATURE_SPEC_FILE .*specs\/saas\.yaml: the registry holds /,
        );
        assert.match(error.message, new RegExp(`${variant} of spec telco-variant \\(${shortHash(telcoVariantSpec().hash)}\\)`));
        assert.match(error.message, / of spec telco \([0-9a-f]{12}\)/);
        return true;
      });
    } finally {
      fs.rmSync(saas, { recursive: true, force: true });
    }
  });
});
