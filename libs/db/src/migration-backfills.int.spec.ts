import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { createLogger } from '@churn/observability';
import { testInfra, uniqueId } from '@churn/testing';
import { runMigrations } from './migrate';

/** The last migration before the ones that copy another service's rows into a table of their own. */
const BEFORE_BACKFILLS = '1797400000002_monitoring-customer-activity';
const BACKFILLS = [
  '1797500000000_crm-latest-scores',
  '1797500000001_monitoring-prediction-features',
  '1797500000002_monitoring-alert-figures',
  '1797600000000_model-registry-topic',
];

const logger = createLogger({ service: 'spec', level: 'silent' });
const at = (iso: string): Date => new Date(iso);

type Row = Record<string, unknown>;

/** A champion prediction as the scorer stored it; its figures follow from its risk score, so each is told apart by them. */
function prediction(id: string, customerId: string, riskScore: number, asOf: string, scoredAt: string, overrides: Row = {}): Row {
  return {
    prediction_id: id,
    customer_id: customerId,
    model_version: 'v2',
    role: 'champion',
    source_event_id: `evt-${id}`,
    churn_probability: riskScore / 100,
    risk_score: riskScore,
    risk_level: riskScore >= 80 ? 'high' : 'medium',
    recommended_action: `action-${id}`,
    intervention_cost: 50,
    revenue_at_risk: 1200,
    top_factors: [{ feature: `factor-${id}`, impact: 0.5 }],
    experiment_name: null,
    experiment_arm: null,
    features: { monthly_charges: riskScore, contract: 'month-to-month' },
    as_of: at(asOf),
    scored_at: at(scoredAt),
    ...overrides,
  };
}

/** Monitoring's copy of a prediction as it was kept before it held vectors (and, for older rows, actions and factors). */
function monitored(p: Row, overrides: Row = {}): Row {
  const copied = [
    'prediction_id',
    'customer_id',
    'model_version',
    'role',
    'churn_probability',
    'risk_score',
    'risk_level',
    'intervention_cost',
    'revenue_at_risk',
    'as_of',
    'scored_at',
  ];
  return { ...Object.fromEntries(copied.map((column) => [column, p[column]])), recommended_action: null, top_factors: null, ...overrides };
}

const scorer = {
  aOld: prediction('pa-old', 'cust-a', 40, '2025-01-01T00:00:00Z', '2025-01-01T00:05:00Z'),
  aNewest: prediction('pa-newest', 'cust-a', 81, '2025-01-03T00:00:00Z', '2025-01-03T00:05:00Z', {
    experiment_name: 'retention-q1',
    experiment_arm: 'treatment',
  }),
  // Scored last, but of an older state: as_of decides before scored_at.
  aScoredLast: prediction('pa-scored-last', 'cust-a', 60, '2025-01-02T00:00:00Z', '2025-01-05T00:00:00Z'),
  // Newer than every champion of cust-a, and never what crm-sync pushes.
  aShadow: prediction('pa-shadow', 'cust-a', 95, '2025-01-04T00:00:00Z', '2025-01-04T00:05:00Z', { role: 'shadow', model_version: 'v3' }),
  bFirst: prediction('pb-first', 'cust-b', 70, '2025-01-02T00:00:00Z', '2025-01-02T00:01:00Z'),
  // The same state scored again later: scored_at breaks the tie.
  bRescored: prediction('pb-rescored', 'cust-b', 72, '2025-01-02T00:00:00Z', '2025-01-02T06:00:00Z'),
  cShadowOnly: prediction('pc-shadow', 'cust-c', 90, '2025-01-02T00:00:00Z', '2025-01-02T00:05:00Z', { role: 'shadow', model_version: 'v3' }),
};

const knownAlert = {
  alert_id: 'al-known',
  customer_id: 'cust-a',
  prediction_id: 'pa-newest',
  level: 'high',
  risk_score: 81,
  message: 'cust-a is at high risk (81)',
  status: 'acknowledged',
  created_at: at('2025-01-03T00:10:00Z'),
  acknowledged_at: at('2025-01-03T02:00:00Z'),
  acknowledged_by: 'dana',
  assignee: 'dana',
};
const unknownAlert = {
  alert_id: 'al-unknown',
  customer_id: 'cust-b',
  prediction_id: 'pb-rescored',
  level: 'medium',
  risk_score: 72,
  message: 'cust-b is at medium risk (72)',
  status: 'pending',
  created_at: at('2025-01-02T06:10:00Z'),
  assignee: 'sam',
};

// Monitoring's alert states from `alert-updates`: none yet for al-unknown, and one of an alert alerting no longer has.
const knownState = {
  alert_id: 'al-known',
  customer_id: 'cust-a',
  level: 'high',
  state: 'acknowledged',
  assignee: 'dana',
  due_at: at('2025-01-04T00:10:00Z'),
  occurred_at: at('2025-01-03T02:00:00Z'),
  update_id: 'upd-ack',
};
const goneState = {
  alert_id: 'al-gone',
  customer_id: 'cust-c',
  level: 'high',
  state: 'resolved',
  assignee: null,
  due_at: null,
  occurred_at: at('2024-12-20T00:00:00Z'),
  update_id: 'upd-gone',
};

const card = (version: string): Row => ({ version, metrics: { auc: 0.8 } });
const modelVersions = [
  { version: 'v1', role: 'retired', card: card('v1'), registered_at: at('2024-10-01T00:00:00Z') },
  {
    version: 'v2',
    role: 'champion',
    card: card('v2'),
    registered_at: at('2024-11-01T00:00:00Z'),
    activated_at: at('2024-11-02T00:00:00Z'),
    activated_by: 'ml-lead',
  },
  { version: 'v3', role: 'shadow', card: card('v3'), registered_at: at('2024-12-01T00:00:00Z') },
  { version: 'v4', role: 'rollout', card: card('v4'), registered_at: at('2024-12-15T00:00:00Z'), rollout_share: 0.25 },
  { version: 'v5', role: 'registered', card: card('v5'), registered_at: at('2025-01-01T00:00:00Z') },
];

async function insert(db: Client, table: string, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    // pg sends a JS array as a Postgres array; the jsonb columns need JSON.
    const values = Object.values(row).map((value) => (value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value));
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, values);
  }
}

async function seedOlderRelease(db: Client): Promise<void> {
  await insert(db, 'predictions', Object.values(scorer));
  await insert(db, 'monitoring_predictions', [
    monitored(scorer.aNewest),
    monitored(scorer.aOld, { recommended_action: 'action-kept-by-monitoring', top_factors: [{ feature: 'kept', impact: 0.1 }] }),
    monitored(prediction('px-not-in-scorer', 'cust-x', 50, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')),
  ]);
  await insert(db, 'alerts', [knownAlert, unknownAlert]);
  await insert(db, 'monitoring_customer_alerts', [knownState, goneState]);
  await insert(db, 'model_versions', modelVersions);
}

const crmLatestScore = (p: Row): Row => {
  const columns = [
    'customer_id',
    'prediction_id',
    'risk_score',
    'risk_level',
    'churn_probability',
    'recommended_action',
    'experiment_arm',
    'as_of',
    'scored_at',
  ];
  return Object.fromEntries(columns.map((column) => [column, p[column]]));
};

describe('the migrations that give each service its own copy of shared rows', () => {
  const admin = new Client({ connectionString: testInfra().databaseUrl });
  const databases: string[] = [];
  const clients: Client[] = [];

  /** A database of its own: the shared test database is already migrated past the backfills. */
  async function freshDatabase(): Promise<string> {
    const name = uniqueId('backfills').replace(/-/g, '_');
    await admin.query(`CREATE DATABASE ${name}`);
    databases.push(name);
    const url = new URL(testInfra().databaseUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** Migrates a fresh database to just before the backfills, seeds it as the older release left it, and migrates the rest. */
  async function migrateOver(seed: (db: Client) => Promise<void>): Promise<{ db: Client; firstRun: string[]; secondRun: string[] }> {
    const url = await freshDatabase();
    const firstRun = await runMigrations(url, logger, { through: BEFORE_BACKFILLS });
    const db = new Client({ connectionString: url });
    clients.push(db);
    await db.connect();
    await seed(db);
    const secondRun = await runMigrations(url, logger);
    return { db, firstRun, secondRun };
  }

  const rows = async (db: Client, sql: string): Promise<Row[]> => (await db.query<Row>(sql)).rows;

  let seeded: Awaited<ReturnType<typeof migrateOver>>;

  before(async () => {
    await admin.connect();
    seeded = await migrateOver(seedOlderRelease);
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.end()));
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('applies migrations only through the named one, and the backfills on the next run', () => {
    assert.equal(seeded.firstRun.at(-1), BEFORE_BACKFILLS);
    assert.deepEqual(seeded.secondRun.slice(0, BACKFILLS.length), BACKFILLS);
  });

  it('refuses to migrate through a migration that does not exist', async () => {
    await assert.rejects(
      runMigrations(testInfra().databaseUrl, logger, { through: '1797400000002_no-such-migration' }),
      /no migration named 1797400000002_no-such-migration/,
    );
  });

  it("keeps each customer's newest champion prediction for crm-sync, by as_of then scored_at, and no shadow's", async () => {
    assert.deepEqual(await rows(seeded.db, 'SELECT * FROM crm_latest_scores ORDER BY customer_id'), [
      crmLatestScore(scorer.aNewest),
      crmLatestScore(scorer.bRescored),
    ]);
  });

  it("gives monitoring's predictions the scorer's feature vectors, and its action and factors only where monitoring kept none", async () => {
    assert.deepEqual(
      await rows(seeded.db, 'SELECT prediction_id, features, recommended_action, top_factors FROM monitoring_predictions ORDER BY prediction_id'),
      [
        {
          prediction_id: 'pa-newest',
          features: scorer.aNewest['features'],
          recommended_action: 'action-pa-newest',
          top_factors: scorer.aNewest['top_factors'],
        },
        {
          prediction_id: 'pa-old',
          features: scorer.aOld['features'],
          recommended_action: 'action-kept-by-monitoring',
          top_factors: [{ feature: 'kept', impact: 0.1 }],
        },
        { prediction_id: 'px-not-in-scorer', features: null, recommended_action: null, top_factors: null },
      ],
    );
  });

  it("gives monitoring's alert states alerting's figures, and seeds a state for each alert monitoring had no update of", async () => {
    assert.deepEqual(await rows(seeded.db, 'SELECT * FROM monitoring_customer_alerts ORDER BY alert_id'), [
      { ...goneState, risk_score: null, message: null, raised_at: null, acknowledged_at: null },
      { ...knownState, risk_score: 81, message: knownAlert.message, raised_at: knownAlert.created_at, acknowledged_at: knownAlert.acknowledged_at },
      {
        alert_id: 'al-unknown',
        customer_id: 'cust-b',
        level: 'medium',
        state: 'pending',
        assignee: 'sam',
        due_at: null,
        occurred_at: unknownAlert.created_at,
        update_id: 'al-unknown:seeded',
        risk_score: 72,
        message: unknownAlert.message,
        raised_at: unknownAlert.created_at,
        acknowledged_at: null,
      },
    ]);
  });

  it("copies the scorer's model versions and current assignment to monitoring, at revision 0", async () => {
    assert.deepEqual(
      await rows(seeded.db, 'SELECT * FROM monitoring_model_versions ORDER BY version'),
      modelVersions.map(({ version, card, registered_at }) => ({ version, card, registered_at })),
    );
    assert.deepEqual(
      await rows(seeded.db, 'SELECT revision, champion, champion_activated_by, shadow, rollout_version, rollout_share FROM monitoring_model_assignment'),
      [{ revision: '0', champion: 'v2', champion_activated_by: 'ml-lead', shadow: 'v3', rollout_version: 'v4', rollout_share: 0.25 }],
    );
  });

  it('copies nothing when the services had stored nothing, and monitoring starts from an assignment with no model', async () => {
    const { db } = await migrateOver(async () => undefined);
    assert.deepEqual(await rows(db, 'SELECT * FROM crm_latest_scores'), []);
    assert.deepEqual(await rows(db, 'SELECT * FROM monitoring_customer_alerts'), []);
    assert.deepEqual(await rows(db, 'SELECT * FROM monitoring_model_versions'), []);
    assert.deepEqual(
      await rows(db, 'SELECT revision, champion, champion_activated_by, shadow, rollout_version, rollout_share FROM monitoring_model_assignment'),
      [{ revision: '0', champion: null, champion_activated_by: null, shadow: null, rollout_version: null, rollout_share: null }],
    );
  });
});
