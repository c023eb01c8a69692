import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * The architecture the lint configuration enforces, proven on probe sources linted as if they were
 * files at the given paths (the files need not exist): each rule refuses what it must and lets the
 * legitimate use through, so a rule weakened by a config change fails here, not in review.
 */
describe('the lint rules that hold the architecture', () => {
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({ cwd: REPO });
  });

  async function problems(file: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath: path.join(REPO, file) });
    return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('a service’s running code imports neither the test helpers nor the sandbox; its specs may', async () => {
    const source =
      "import { uniqueId } from '@churn/testing';\nimport { LocalOpenIdProvider } from '@churn/sandbox';\nexport const used = [uniqueId, LocalOpenIdProvider];\n";
    for (const service of ['ingest', 'scorer', 'alerting', 'crm-sync', 'monitoring']) {
      const refused = await problems(`apps/${service}/src/probe/probe.ts`, source);
      assert.equal(refused.filter((p) => /is for specs/.test(p)).length, 2, `${service}: ${refused.join('; ')}`);
      assert.deepEqual(await problems(`apps/${service}/src/probe/probe.int.spec.ts`, source), [], service);
    }
  });

  it('a service’s running code imports no spec support file', async () => {
    const refused = await problems('apps/monitoring/src/http/probe.ts', "import { seed } from '../monitoring-spec-fixtures';\nexport const used = seed;\n");
    assert.equal(refused.length, 1, refused.join('; '));
    assert.match(refused[0]!, /support file is for specs only/);
    assert.deepEqual(
      await problems('apps/monitoring/src/http/probe.spec.ts', "import { seed } from '../monitoring-spec-fixtures';\nexport const used = seed;\n"),
      [],
    );
  });

  it('an app never imports another app, and a library is imported through its index', async () => {
    const crossApp = await problems(
      'apps/monitoring/src/probe.ts',
      "import { ScorerModule } from '../../scorer/src/scorer.module';\nexport const used = ScorerModule;\n",
    );
    assert.ok(
      crossApp.some((p) => p.startsWith('@nx/enforce-module-boundaries')),
      crossApp.join('; '),
    );
    const deep = await problems('apps/monitoring/src/probe.ts', "import { Database } from '@churn/db/src/database';\nexport const used = Database;\n");
    assert.ok(
      deep.some((p) => /through its index/.test(p)),
      deep.join('; '),
    );
  });

  it('a library never imports an app', async () => {
    const refused = await problems(
      'libs/db/src/probe.ts',
      "import { MonitoringModule } from '../../../apps/monitoring/src/monitoring.module';\nexport const used = MonitoringModule;\n",
    );
    assert.ok(
      refused.some((p) => p.startsWith('@nx/enforce-module-boundaries')),
      refused.join('; '),
    );
  });

  it('a service’s code uses its own data access and no other service’s; its specs may seed others’ tables', async () => {
    const own = "import { MonitoringRepository } from '@churn/monitoring-data';\nexport const used = MonitoringRepository;\n";
    assert.deepEqual(await problems('apps/monitoring/src/probe/probe.ts', own), []);
    for (const [library, name] of [
      ['@churn/scorer-data', 'PredictionRepository'],
      ['@churn/alerting-data', 'AlertRepository'],
    ]) {
      const source = `import { ${name} } from '${library}';\nexport const used = ${name};\n`;
      const refused = await problems('apps/monitoring/src/probe/probe.ts', source);
      assert.ok(
        refused.some((p) => /scope:monitoring" can only depend on libs tagged with "scope:shared", "scope:monitoring"/.test(p)),
        `${library}: ${refused.join('; ')}`,
      );
      assert.deepEqual(await problems('apps/monitoring/src/probe/probe.int.spec.ts', source), [], library);
    }
  });

  it('a data-access library builds on shared libraries only, not on another service’s data', async () => {
    const refused = await problems(
      'libs/monitoring-data/src/probe.ts',
      "import { PredictionRepository } from '@churn/scorer-data';\nexport const used = PredictionRepository;\n",
    );
    assert.ok(
      refused.some((p) => p.startsWith('@nx/enforce-module-boundaries')),
      refused.join('; '),
    );
    assert.deepEqual(await problems('libs/monitoring-data/src/probe.ts', "import { Database } from '@churn/db';\nexport const used = Database;\n"), []);
  });

  it('crm-sync’s CRM clients use crm-sync’s data; the command line, an admin tool, any service’s', async () => {
    assert.deepEqual(
      await problems('libs/crm/src/probe.ts', "import { CrmOutboxRepository } from '@churn/crm-sync-data';\nexport const used = CrmOutboxRepository;\n"),
      [],
    );
    const admin =
      "import { PredictionRepository } from '@churn/scorer-data';\nimport { AlertRepository } from '@churn/alerting-data';\nexport const used = [PredictionRepository, AlertRepository];\n";
    assert.deepEqual(await problems('apps/cli/src/commands/probe.ts', admin), []);
  });

  it('only test code uses the test helpers and the sandbox: no library’s or app’s running code', async () => {
    const source =
      "import { uniqueId } from '@churn/testing';\nimport { LocalOpenIdProvider } from '@churn/sandbox';\nexport const used = [uniqueId, LocalOpenIdProvider];\n";
    for (const file of [
      'libs/service-kit/src/probe.ts',
      'libs/monitoring-data/src/probe.ts',
      'apps/cli/src/commands/probe.ts',
      'apps/dashboard/src/probe.ts',
    ]) {
      const refused = (await problems(file, source)).filter((p) => p.startsWith('@nx/enforce-module-boundaries'));
      assert.equal(refused.length, 2, `${file}: ${refused.join('; ')}`);
    }
    for (const file of [
      'libs/service-kit/src/probe.spec.ts',
      'libs/scheduler/src/probe.fixture.ts',
      'apps/cli/src/chaos/probe.ts',
      'apps/dashboard/src/e2e/probe.ts',
    ]) {
      assert.deepEqual(await problems(file, source), [], file);
    }
  });

  it('domain code chooses no HTTP status: HttpStatus and Nest’s exceptions only in the HTTP layer', async () => {
    const source = "import { HttpStatus, NotFoundException } from '@nestjs/common';\nexport const used = [HttpStatus.CONFLICT, NotFoundException];\n";
    for (const file of ['apps/alerting/src/queue/probe.service.ts', 'apps/monitoring/src/customers/probe.ts', 'libs/scoring/src/probe.ts']) {
      const refused = await problems(file, source);
      assert.equal(refused.filter((p) => /typed error/.test(p)).length, 2, `${file}: ${refused.join('; ')}`);
    }
    for (const file of [
      'apps/alerting/src/queue/probe.controller.ts',
      'apps/alerting/src/http-error-statuses.ts',
      'apps/scorer/src/http-setup.ts',
      'libs/service-kit/src/http/probe.filter.ts',
      'apps/alerting/src/queue/probe.spec.ts',
    ]) {
      assert.deepEqual(await problems(file, source), [], file);
    }
    // Nest's decorators and the rest of @nestjs/common stay available everywhere.
    assert.deepEqual(
      await problems(
        'apps/alerting/src/queue/probe.service.ts',
        "import { Inject, Injectable } from '@nestjs/common';\nexport const used = [Inject, Injectable];\n",
      ),
      [],
    );
  });
});
