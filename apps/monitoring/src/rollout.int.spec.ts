import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  dashboardSummarySchema,
  type ModelAssignments,
  modelMetricsAnswerSchema,
  type RolloutMetricsAnswer,
  rolloutMetricsAnswerSchema,
  Topics,
} from '@churn/contracts';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { eventuallyWhere, monitoringAssignments, publishRegistry, serviceTestEnv, testInfra, uniqueId, waitUntilHttpReady } from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';
import { aPrediction, publish } from './monitoring-spec-fixtures';

const REPO = path.resolve(__dirname, '..', '..', '..');
const ACTIVE = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
const CARD = JSON.parse(fs.readFileSync(path.join(REPO, 'models', ACTIVE, 'model-card.json'), 'utf8')) as Record<string, unknown>;
const T = Date.parse('2025-07-01T12:00:00Z');
const DAY = 86_400_000;

/**
 * A gradual rollout seen by monitoring on the real broker and Postgres: the champion's and the rollout
 * version's served predictions on `predictions`, outcomes on `outcomes`, the registry's roles on
 * `model-registry`; each version judged on the customers it serves.
 */
describe('monitoring compares the champion and the rollout on their own customers', () => {
  let sut: RunningService;
  let db: Database;
  let before_: ModelAssignments;
  const champion = uniqueId('champion-model');
  const rollout = uniqueId('rollout-model');

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'monitoring-rollout-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({ MONITORING_LABEL_DELAY_DAYS: '0', MONITORING_REFRESH_INTERVAL_MS: '600000' }),
    });
    await waitUntilHttpReady(sut.url);
    before_ = await monitoringAssignments(db);
    await publishRegistry(
      db,
      [champion, rollout].map((version) => ({ version, card: { ...CARD, version } })),
      { champion, shadow: before_.shadow, rollout: { version: rollout, share: 0.5 } },
    );
  });

  after(async () => {
    // Leave monitoring's registry as the other specs expect it: its champion back, no rollout.
    if (sut && before_)
      await publishRegistry(db, [{ version: champion, card: { ...CARD, version: champion } }], { ...before_, rollout: null }, undefined, { wait: false });
    await sut?.close();
    await db.close();
  });

  it('judges each version on its own customers with its own served predictions, and says which is which', async () => {
    // 20 customers the champion serves; 20 the rollout serves now, which the champion scored before the rollout.
    // Each version ranks its own customers perfectly; the champion's pre-rollout scores of the rollout's
    // customers are inverted, so counting them for the champion would pull its ROC-AUC down to 0.5.
    const churned = (i: number) => i % 2 === 0;
    const championSide = Array.from({ length: 20 }, () => uniqueId('RC'));
    const rolloutSide = Array.from({ length: 20 }, () => uniqueId('RR'));
    await publish(Topics.predictions, [
      ...championSide.map((c, i) => aPrediction(c, champion, churned(i) ? 0.8 : 0.2, T - 5 * DAY)),
      ...rolloutSide.map((c, i) => aPrediction(c, champion, churned(i) ? 0.2 : 0.8, T - 10 * DAY)),
      ...rolloutSide.map((c, i) => aPrediction(c, rollout, churned(i) ? 0.7 : 0.3, T - 5 * DAY)),
    ]);
    await publish(
      Topics.outcomes,
      [...championSide, ...rolloutSide].map((c, i) => ({ customer_id: c, churned: churned(i % 20), observed_at: new Date(T).toISOString() })),
    );

    const read = async () => rolloutMetricsAnswerSchema.parse(await (await fetch(`${sut.url}/v1/metrics/rollout?refresh=true`)).json());
    const labelledOnEachSide = (body: RolloutMetricsAnswer) => {
      const counts = body.rollout?.arms.map((a) => a.quality?.windows.all.overall.count ?? 0) ?? [];
      return counts.length === 2 && counts.every((n) => n >= 20);
    };
    const body = await eventuallyWhere('20 labelled outcomes on each side', read, labelledOnEachSide, 60_000);
    const comparison = body.rollout!;
    assert.deepEqual([comparison.version, comparison.share, comparison.champion], [rollout, 0.5, champion]);
    const [championArm, rolloutArm] = comparison.arms;
    assert.deepEqual([championArm!.model_version, championArm!.serving, championArm!.customers], [champion, 'champion', 20]);
    assert.deepEqual([rolloutArm!.model_version, rolloutArm!.serving, rolloutArm!.customers], [rollout, 'rollout', 20]);
    assert.equal(championArm!.quality!.windows.all.overall.count, 20);
    assert.equal(championArm!.quality!.windows.all.overall.roc_auc, 1);
    assert.equal(rolloutArm!.quality!.windows.all.overall.roc_auc, 1);
    assert.deepEqual([championArm!.roi['30d']!.overall.customers, rolloutArm!.roi['30d']!.overall.customers], [20, 20]);

    // The per-version figures count every outcome joined to a version (the champion's include its
    // pre-rollout scores of the rollout's customers) and say what each version serves as.
    const model = modelMetricsAnswerSchema.parse(await (await fetch(`${sut.url}/v1/metrics/model?model_version=${champion}`)).json());
    assert.deepEqual(
      [model.models[0]?.serving, model.models[0]?.windows.all?.overall.count, model.models[0]?.windows.all?.overall.roc_auc],
      ['champion', 40, 0.5],
    );
    const dashboard = dashboardSummarySchema.parse(await (await fetch(`${sut.url}/v1/dashboard`)).json());
    assert.equal(dashboard.quality?.model_version, champion, "the dashboard shows the registry's champion, not the rollout's version");
    assert.deepEqual(
      dashboard.rollout?.arms.map((a) => [a.model_version, a.serving]),
      [
        [champion, 'champion'],
        [rollout, 'rollout'],
      ],
    );
  });
});
