import type { AlertUpdate, Prediction, TopFactor } from '@churn/contracts';
import type { Queryable } from '@churn/db';
import { customerListParameters, type CustomerListFilter, type CustomerSort, type CustomerSortKey } from './monitoring-customer-list';

/** A customer's newest feature vector as monitoring stores it. */
export interface CustomerVector {
  readonly customer_id: string;
  /** The hash of the spec the vector was computed under (a version 1 message: the Telco spec's). */
  readonly spec_hash: string;
  readonly features: Readonly<Record<string, string | number | null>>;
  readonly as_of: string;
  readonly source_event_id: string;
  /** The active spec's attributes in the vector (what the list shows and filters on). */
  readonly attributes: Readonly<Record<string, string | number | null>>;
  /** The text attributes' values, lower-cased, joined by spaces (what `q=` searches). */
  readonly search_text: string;
}

/** One row of the customer list. */
export interface CustomerListRow {
  customer_id: string;
  risk_score: number;
  risk_level: string;
  churn_probability: number;
  score_change: number | null;
  revenue_at_risk: number;
  model_version: string;
  scored_at: Date;
  alert_id: string | null;
  alert_level: string | null;
  alert_state: string | null;
  alert_due_at: Date | null;
  experiment_name: string | null;
  experiment_arm: string | null;
  attributes: Record<string, string | number | null> | null;
  /** The platform has a task open for the customer in a CRM (created, not completed, as crm-activity reported). */
  crm_task_open: boolean;
}

/** A customer's whole row (the customer page). */
export interface CustomerRow extends Omit<
  CustomerListRow,
  'risk_score' | 'risk_level' | 'churn_probability' | 'revenue_at_risk' | 'model_version' | 'scored_at'
> {
  risk_score: number | null;
  risk_level: string | null;
  churn_probability: number | null;
  revenue_at_risk: number | null;
  model_version: string | null;
  scored_at: Date | null;
  prediction_id: string | null;
  prediction_as_of: Date | null;
  intervention_cost: number | null;
  recommended_action: string | null;
  top_factors: TopFactor[] | null;
  previous_risk_score: number | null;
  features: Record<string, string | number | null> | null;
  features_spec_hash: string | null;
  features_as_of: Date | null;
  alert_assignee: string | null;
  alert_occurred_at: Date | null;
}

export interface ScorePoint {
  prediction_id: string;
  as_of: Date;
  scored_at: Date;
  risk_score: number;
  risk_level: string;
  model_version: string;
  role: 'champion' | 'shadow';
}

export interface AlertUpdateRow {
  update_id: string;
  alert_id: string;
  level: string;
  state: string;
  change: string;
  assignee: string | null;
  changed_by: string | null;
  note: string | null;
  due_at: Date | null;
  occurred_at: Date;
}

export interface CustomerOutcomeRow {
  outcome_id: string;
  source: string;
  churned: boolean;
  observed_at: Date;
  intervention_applied: boolean | null;
}

export interface CustomerInterventionRow {
  intervention_id: string;
  source: string;
  performed_by: string;
  performed_at: Date;
  action: string;
  channel: string | null;
  offer: string | null;
  cost: number;
}

/** The population's distribution of one feature. */
export type PopulationSummary =
  | {
      readonly type: 'numeric';
      readonly customers: number;
      readonly missing: number;
      readonly mean: number | null;
      readonly quantiles: Readonly<Record<string, number>>;
    }
  | {
      readonly type: 'categorical';
      readonly customers: number;
      readonly missing: number;
      readonly shares: readonly { readonly value: string; readonly share: number }[];
    };

/** The quantiles the population refresh computes for every numeric feature. */
export const POPULATION_QUANTILES = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1] as const;
/** Rows per cursor fetch of an export. */
export const CUSTOMER_EXPORT_BATCH = 1000;
/** Categories kept by name in a categorical feature's shares; the rest are summed as `(other)`. */
export const POPULATION_TOP_CATEGORIES = 20;

const LIST_COLUMNS = `c.customer_id, c.risk_score, c.risk_level, c.churn_probability, c.score_change, c.revenue_at_risk::float8 AS revenue_at_risk,
       c.model_version, c.scored_at, c.alert_id, c.alert_level, c.alert_state, c.alert_due_at, c.experiment_name, c.experiment_arm, c.attributes, c.crm_task_open`;

/** The list's conditions; every parameter NULL means "no condition" (customerListParameters). */
const LIST_WHERE = `c.prediction_id IS NOT NULL
   AND ($1::text IS NULL OR lower(c.customer_id) LIKE $1::text OR c.search_text LIKE $2::text)
   AND ($3::text[] IS NULL OR c.risk_level = ANY($3::text[]))
   AND ($4::int IS NULL OR c.risk_score >= $4::int)
   AND ($5::int IS NULL OR c.risk_score <= $5::int)
   AND (($6::text[] IS NULL AND NOT $7::boolean) OR c.alert_state = ANY($6::text[]) OR ($7::boolean AND c.alert_state IS NULL))
   AND ($8::text[] IS NULL OR c.experiment_arm = ANY($8::text[]))
   AND ($9::jsonb IS NULL OR c.attributes @> $9::jsonb)
   AND ($10::jsonb IS NULL OR NOT EXISTS (
         SELECT 1 FROM jsonb_each($10::jsonb) AS f(name, allowed) WHERE NOT f.allowed @> jsonb_build_array(c.attributes -> f.name)))
   AND ($11::boolean IS NULL OR c.crm_task_open = $11::boolean)`;

/** ORDER BY per sort, each with customer_id as the stable tiebreak (the descending ones match the indexes). */
const CUSTOMER_ORDERS: ReadonlyMap<string, string> = new Map([
  ['score:desc', 'c.risk_score DESC, c.customer_id'],
  ['score:asc', 'c.risk_score ASC, c.customer_id'],
  ['score_change:desc', 'c.score_change DESC NULLS LAST, c.customer_id'],
  ['score_change:asc', 'c.score_change ASC NULLS LAST, c.customer_id'],
  ['revenue_at_risk:desc', 'c.revenue_at_risk DESC, c.customer_id'],
  ['revenue_at_risk:asc', 'c.revenue_at_risk ASC, c.customer_id'],
]);

const DEFAULT_ORDER = 'c.risk_score DESC, c.customer_id';

/** The key of CUSTOMER_ORDERS for a sort. */
function orderKey(sort: CustomerSort): string {
  const key: CustomerSortKey = sort.key;
  return key + ':' + sort.direction;
}

/** (as_of, scored_at, prediction_id) of the incoming prediction against the stored newest and the one before it. */
const INCOMING = '(EXCLUDED.prediction_as_of, EXCLUDED.scored_at, EXCLUDED.prediction_id)';
const NEWER = `(c.prediction_id IS NULL OR ${INCOMING} > (c.prediction_as_of, c.scored_at, c.prediction_id))`;
const IN_BETWEEN = `(${INCOMING} < (c.prediction_as_of, c.scored_at, c.prediction_id)
  AND (c.previous_prediction_id IS NULL OR ${INCOMING} > (c.previous_as_of, c.previous_scored_at, c.previous_prediction_id)))`;
const NEWEST_COLUMNS = [
  'prediction_id',
  'model_version',
  'churn_probability',
  'risk_score',
  'risk_level',
  'revenue_at_risk',
  'intervention_cost',
  'recommended_action',
  'top_factors',
  'experiment_name',
  'experiment_arm',
  'prediction_as_of',
  'scored_at',
] as const;
// Built by concatenation from the constants above (the SQL-parameter scan reads template literals only).
const SET_NEWEST = NEWEST_COLUMNS.map((column) => column + ' = CASE WHEN ' + NEWER + ' THEN EXCLUDED.' + column + ' ELSE c.' + column + ' END').join(',\n');
const PREVIOUS_FROM: readonly (readonly [string, string])[] = [
  ['previous_prediction_id', 'prediction_id'],
  ['previous_risk_score', 'risk_score'],
  ['previous_as_of', 'prediction_as_of'],
  ['previous_scored_at', 'scored_at'],
];
const SET_PREVIOUS = PREVIOUS_FROM.map(
  ([previous, newest]) =>
    previous + ' = CASE WHEN ' + NEWER + ' THEN c.' + newest + ' WHEN ' + IN_BETWEEN + ' THEN EXCLUDED.' + newest + ' ELSE c.' + previous + ' END',
).join(',\n');

type PredictionKey = Pick<Prediction, 'as_of' | 'scored_at' | 'prediction_id'>;

/** Orders predictions newest first, as the statements do: as_of, then scored_at, then prediction_id. */
export function compareNewestFirst(a: PredictionKey, b: PredictionKey): number {
  return (
    Date.parse(b.as_of) - Date.parse(a.as_of) ||
    Date.parse(b.scored_at) - Date.parse(a.scored_at) ||
    (a.prediction_id < b.prediction_id ? 1 : a.prediction_id > b.prediction_id ? -1 : 0)
  );
}

/**
 * Monitoring's customer read model (monitoring_customers and the alert tables beside it), written from
 * the topics monitoring consumes and read by the customer API. Each part of a row moves only forward: a
 * redelivered message or a late, older one changes nothing.
 */
export class MonitoringCustomersRepository {
  /**
   * Applies champion predictions: a customer's newest (by as_of, scored_at, prediction_id) becomes the
   * current prediction and the one it replaces the previous; a late prediction between the two becomes
   * the previous. A statement may touch a row once, so a batch is applied in at most two rounds of each
   * customer's two newest. Returns how many rows changed.
   */
  async applyPredictions(tx: Queryable, predictions: readonly Prediction[]): Promise<number> {
    const byCustomer = new Map<string, Prediction[]>();
    for (const p of predictions) byCustomer.set(p.customer_id, [...(byCustomer.get(p.customer_id) ?? []), p]);
    const rounds: Prediction[][] = [[], []];
    for (const list of byCustomer.values()) {
      const distinct = [...new Map(list.map((p) => [p.prediction_id, p])).values()].sort(compareNewestFirst);
      distinct.slice(0, 2).forEach((p, i) => rounds[i]!.push(p));
    }
    let changed = 0;
    for (const round of rounds) {
      if (round.length === 0) continue;
      const rows = await tx.query<{ customer_id: string }>(
        'monitoring_customers.apply_predictions',
        `INSERT INTO monitoring_customers AS c (customer_id, prediction_id, model_version, churn_probability, risk_score, risk_level, revenue_at_risk,
           intervention_cost, recommended_action, top_factors, experiment_name, experiment_arm, prediction_as_of, scored_at)
         SELECT u.customer_id, u.prediction_id, u.model_version, u.churn_probability, u.risk_score, u.risk_level, u.revenue_at_risk,
                u.intervention_cost, u.recommended_action, u.top_factors::jsonb, u.experiment_name, u.experiment_arm, u.as_of, u.scored_at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::smallint[], $6::text[], $7::numeric[], $8::numeric[],
                       $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[])
             AS u(customer_id, prediction_id, model_version, churn_probability, risk_score, risk_level, revenue_at_risk,
                  intervention_cost, recommended_action, top_factors, experiment_name, experiment_arm, as_of, scored_at)
         ON CONFLICT (customer_id) DO UPDATE SET
           ${SET_NEWEST},
           ${SET_PREVIOUS},
           updated_at = now()
         WHERE ${NEWER} OR ${IN_BETWEEN}
         RETURNING customer_id`,
        [
          round.map((p) => p.customer_id),
          round.map((p) => p.prediction_id),
          round.map((p) => p.model_version),
          round.map((p) => p.churn_probability),
          round.map((p) => p.risk_score),
          round.map((p) => p.risk_level),
          round.map((p) => p.revenue_at_risk),
          round.map((p) => p.intervention_cost),
          round.map((p) => p.recommended_action),
          round.map((p) => JSON.stringify(p.top_factors)),
          round.map((p) => p.experiment?.name ?? null),
          round.map((p) => p.experiment?.arm ?? null),
          round.map((p) => p.as_of),
          round.map((p) => p.scored_at),
        ],
      );
      changed += rows.length;
    }
    return changed;
  }

  /**
   * Applies feature vectors: a customer's vector is replaced by a newer one only (as_of, then
   * source_event_id), and the customer's attributes and search text follow it when they differ.
   * Returns how many vectors changed.
   */
  async applyVectors(tx: Queryable, vectors: readonly CustomerVector[]): Promise<number> {
    const newest = new Map<string, CustomerVector>();
    for (const v of vectors) {
      const held = newest.get(v.customer_id);
      const newer =
        !held || Date.parse(v.as_of) > Date.parse(held.as_of) || (Date.parse(v.as_of) === Date.parse(held.as_of) && v.source_event_id > held.source_event_id);
      if (newer) newest.set(v.customer_id, v);
    }
    if (newest.size === 0) return 0;
    const rows = [...newest.values()];
    const changed = await tx.query<{ customer_id: string }>(
      'monitoring_customer_vectors.apply',
      `INSERT INTO monitoring_customer_vectors AS v (customer_id, features, spec_hash, as_of, source_event_id)
       SELECT u.customer_id, u.features::jsonb, u.spec_hash, u.as_of, u.source_event_id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS u(customer_id, features, spec_hash, as_of, source_event_id)
       ON CONFLICT (customer_id) DO UPDATE SET
         features = EXCLUDED.features, spec_hash = EXCLUDED.spec_hash, as_of = EXCLUDED.as_of, source_event_id = EXCLUDED.source_event_id
       WHERE (EXCLUDED.as_of, EXCLUDED.source_event_id) > (v.as_of, v.source_event_id)
       RETURNING customer_id`,
      [
        rows.map((v) => v.customer_id),
        rows.map((v) => JSON.stringify(v.features)),
        rows.map((v) => v.spec_hash),
        rows.map((v) => v.as_of),
        rows.map((v) => v.source_event_id),
      ],
    );
    const changedIds = new Set(changed.map((c) => c.customer_id));
    const moved = rows.filter((v) => changedIds.has(v.customer_id));
    if (moved.length > 0) {
      await tx.query(
        'monitoring_customers.apply_attributes',
        `INSERT INTO monitoring_customers AS c (customer_id, attributes, search_text)
         SELECT u.customer_id, u.attributes::jsonb, u.search_text FROM unnest($1::text[], $2::text[], $3::text[]) AS u(customer_id, attributes, search_text)
         ON CONFLICT (customer_id) DO UPDATE SET attributes = EXCLUDED.attributes, search_text = EXCLUDED.search_text, updated_at = now()
         WHERE (c.attributes, c.search_text) IS DISTINCT FROM (EXCLUDED.attributes, EXCLUDED.search_text)`,
        [moved.map((v) => v.customer_id), moved.map((v) => JSON.stringify(v.attributes)), moved.map((v) => v.search_text)],
      );
    }
    return changed.length;
  }

  /**
   * Stores alert updates once per update_id, moves each alert's state to its newest update (occurred_at,
   * then update_id), and sets each affected customer's alert: an open one (pending, acknowledged, or
   * expired — an acknowledgment that ran out, still to be resolved) first, the newest of them, else the
   * newest resolved one. Returns how many updates were new.
   */
  async applyAlertUpdates(tx: Queryable, updates: readonly AlertUpdate[]): Promise<number> {
    if (updates.length === 0) return 0;
    const fresh = await tx.query<{ update_id: string }>(
      'monitoring_alert_updates.insert',
      `INSERT INTO monitoring_alert_updates (update_id, alert_id, customer_id, level, state, change, assignee, changed_by, note, due_at, occurred_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                            $10::timestamptz[], $11::timestamptz[])
       ON CONFLICT (update_id) DO NOTHING
       RETURNING update_id`,
      [
        updates.map((u) => u.update_id),
        updates.map((u) => u.alert_id),
        updates.map((u) => u.customer_id),
        updates.map((u) => u.level),
        updates.map((u) => u.state),
        updates.map((u) => u.change),
        updates.map((u) => u.assignee),
        updates.map((u) => u.by),
        updates.map((u) => u.note),
        updates.map((u) => u.due_at),
        updates.map((u) => u.occurred_at),
      ],
    );
    const newestPerAlert = new Map<string, AlertUpdate>();
    for (const u of updates) {
      const held = newestPerAlert.get(u.alert_id);
      if (
        !held ||
        Date.parse(u.occurred_at) > Date.parse(held.occurred_at) ||
        (Date.parse(u.occurred_at) === Date.parse(held.occurred_at) && u.update_id > held.update_id)
      ) {
        newestPerAlert.set(u.alert_id, u);
      }
    }
    const latest = [...newestPerAlert.values()];
    await tx.query(
      'monitoring_customer_alerts.apply',
      `INSERT INTO monitoring_customer_alerts AS a (alert_id, customer_id, level, state, assignee, due_at, occurred_at, update_id,
         risk_score, message, raised_at, acknowledged_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[],
                            $9::smallint[], $10::text[], $11::timestamptz[], $12::timestamptz[])
       ON CONFLICT (alert_id) DO UPDATE SET
         level = EXCLUDED.level, state = EXCLUDED.state, assignee = EXCLUDED.assignee, due_at = EXCLUDED.due_at,
         occurred_at = EXCLUDED.occurred_at, update_id = EXCLUDED.update_id,
         -- An update written before the figures were carried keeps the ones held.
         risk_score = coalesce(EXCLUDED.risk_score, a.risk_score), message = coalesce(EXCLUDED.message, a.message),
         raised_at = coalesce(EXCLUDED.raised_at, a.raised_at),
         acknowledged_at = CASE WHEN EXCLUDED.raised_at IS NULL THEN a.acknowledged_at ELSE EXCLUDED.acknowledged_at END
       WHERE (EXCLUDED.occurred_at, EXCLUDED.update_id) > (a.occurred_at, a.update_id)`,
      [
        latest.map((u) => u.alert_id),
        latest.map((u) => u.customer_id),
        latest.map((u) => u.level),
        latest.map((u) => u.state),
        latest.map((u) => u.assignee),
        latest.map((u) => u.due_at),
        latest.map((u) => u.occurred_at),
        latest.map((u) => u.update_id),
        latest.map((u) => u.risk_score ?? null),
        latest.map((u) => u.message ?? null),
        latest.map((u) => u.raised_at ?? null),
        latest.map((u) => u.acknowledged_at ?? null),
      ],
    );
    await tx.query(
      'monitoring_customers.apply_alerts',
      `INSERT INTO monitoring_customers AS c (customer_id, alert_id, alert_level, alert_state, alert_due_at, alert_assignee, alert_occurred_at)
       SELECT DISTINCT ON (customer_id) customer_id, alert_id, level, state, due_at, assignee, occurred_at
         FROM monitoring_customer_alerts
        WHERE customer_id = ANY($1::text[])
        ORDER BY customer_id, (state IN ('pending', 'acknowledged', 'expired')) DESC, occurred_at DESC, alert_id DESC
       ON CONFLICT (customer_id) DO UPDATE SET
         alert_id = EXCLUDED.alert_id, alert_level = EXCLUDED.alert_level, alert_state = EXCLUDED.alert_state,
         alert_due_at = EXCLUDED.alert_due_at, alert_assignee = EXCLUDED.alert_assignee, alert_occurred_at = EXCLUDED.alert_occurred_at,
         updated_at = now()
       WHERE (c.alert_id, c.alert_level, c.alert_state, c.alert_due_at, c.alert_assignee, c.alert_occurred_at)
             IS DISTINCT FROM (EXCLUDED.alert_id, EXCLUDED.alert_level, EXCLUDED.alert_state, EXCLUDED.alert_due_at, EXCLUDED.alert_assignee, EXCLUDED.alert_occurred_at)`,
      [[...new Set(latest.map((u) => u.customer_id))]],
    );
    return fresh.length;
  }

  /**
   * One page of scored customers matching the filter, in the sort's order, and how many match — counted
   * up to `countLimit`: beyond it, counting every match of a broad filter (a search matching a third of
   * 100,000 customers) costs more than the page itself, so the count stops there and says so.
   */
  async list(
    db: Queryable,
    filter: CustomerListFilter,
    sort: CustomerSort,
    page: { limit: number; offset: number; countLimit: number },
  ): Promise<{ rows: CustomerListRow[]; total: number; totalIsLowerBound: boolean }> {
    const order = CUSTOMER_ORDERS.get(orderKey(sort)) ?? DEFAULT_ORDER;
    const parameters = customerListParameters(filter);
    const [rows, count] = await Promise.all([
      db.query<CustomerListRow>(
        'monitoring_customers.list',
        `SELECT ${LIST_COLUMNS} FROM monitoring_customers c WHERE ${LIST_WHERE} ORDER BY ${order} LIMIT $12::int OFFSET $13::int`,
        [...parameters, page.limit, page.offset],
      ),
      db.query<{ total: number }>(
        'monitoring_customers.count',
        `SELECT count(*)::int AS total FROM (SELECT 1 FROM monitoring_customers c WHERE ${LIST_WHERE} LIMIT $12::int) AS matching`,
        [...parameters, page.countLimit + 1],
      ),
    ]);
    const total = count[0]?.total ?? 0;
    return { rows, total: Math.min(total, page.countLimit), totalIsLowerBound: total > page.countLimit };
  }

  /**
   * Every customer matching the filter, in the sort's order, handed to `each` CUSTOMER_EXPORT_BATCH rows
   * at a time through a cursor: without holding the whole list in memory. Needs a transaction (a cursor
   * lives in one).
   */
  async eachMatching(tx: Queryable, filter: CustomerListFilter, sort: CustomerSort, each: (rows: CustomerListRow[]) => Promise<void>): Promise<void> {
    const order = CUSTOMER_ORDERS.get(orderKey(sort)) ?? DEFAULT_ORDER;
    await tx.query(
      'monitoring_customers.export_declare',
      `DECLARE customer_export NO SCROLL CURSOR FOR SELECT ${LIST_COLUMNS} FROM monitoring_customers c WHERE ${LIST_WHERE} ORDER BY ${order}`,
      customerListParameters(filter),
    );
    for (;;) {
      // FETCH takes its count as a literal, not a parameter.
      const rows = await tx.query<CustomerListRow>('monitoring_customers.export_fetch', `FETCH FORWARD ${CUSTOMER_EXPORT_BATCH} FROM customer_export`);
      if (rows.length === 0) break;
      await each(rows);
      if (rows.length < CUSTOMER_EXPORT_BATCH) break;
    }
    await tx.query('monitoring_customers.export_close', 'CLOSE customer_export');
  }

  /**
   * The experiment arms scored customers carry, in name order, at most `limit`: a loose index scan over
   * the arm index (one index probe per distinct arm), not a scan of every customer.
   */
  async arms(db: Queryable, limit: number): Promise<string[]> {
    const rows = await db.query<{ arm: string }>(
      'monitoring_customers.arms',
      `WITH RECURSIVE arms AS (
         (SELECT experiment_arm AS arm FROM monitoring_customers WHERE experiment_arm IS NOT NULL ORDER BY experiment_arm LIMIT 1)
         UNION ALL
         SELECT (SELECT c.experiment_arm FROM monitoring_customers c WHERE c.experiment_arm > a.arm ORDER BY c.experiment_arm LIMIT 1)
           FROM arms a WHERE a.arm IS NOT NULL
       )
       SELECT arm FROM arms WHERE arm IS NOT NULL LIMIT $1::int`,
      [limit],
    );
    return rows.map((r) => r.arm);
  }

  async find(db: Queryable, customerId: string): Promise<CustomerRow | undefined> {
    const rows = await db.query<CustomerRow>(
      'monitoring_customers.find',
      `SELECT ${LIST_COLUMNS}, c.prediction_id, c.prediction_as_of, c.intervention_cost::float8 AS intervention_cost, c.recommended_action,
              c.top_factors, c.previous_risk_score, v.features, v.spec_hash AS features_spec_hash, v.as_of AS features_as_of, c.alert_assignee, c.alert_occurred_at
         FROM monitoring_customers c LEFT JOIN monitoring_customer_vectors v ON v.customer_id = c.customer_id
        WHERE c.customer_id = $1`,
      [customerId],
    );
    return rows[0];
  }

  /** A customer's predictions (champion and shadow) from monitoring's own copy, oldest first, the newest `limit`. */
  async scoreHistory(db: Queryable, customerId: string, limit: number): Promise<ScorePoint[]> {
    return db.query<ScorePoint>(
      'monitoring_customers.score_history',
      `SELECT * FROM (
         SELECT prediction_id, as_of, scored_at, risk_score, risk_level, model_version, role FROM monitoring_predictions
          WHERE customer_id = $1 ORDER BY as_of DESC, scored_at DESC, prediction_id DESC LIMIT $2
       ) newest ORDER BY as_of, scored_at, prediction_id`,
      [customerId, limit],
    );
  }

  async alertUpdates(db: Queryable, customerId: string, limit: number): Promise<AlertUpdateRow[]> {
    return db.query<AlertUpdateRow>(
      'monitoring_customers.alert_updates',
      `SELECT update_id, alert_id, level, state, change, assignee, changed_by, note, due_at, occurred_at
         FROM monitoring_alert_updates WHERE customer_id = $1 ORDER BY occurred_at DESC, update_id DESC LIMIT $2`,
      [customerId, limit],
    );
  }

  async outcomes(db: Queryable, customerId: string, limit: number): Promise<CustomerOutcomeRow[]> {
    return db.query<CustomerOutcomeRow>(
      'monitoring_customers.outcomes',
      `SELECT outcome_id, source, churned, observed_at, intervention_applied FROM outcomes
        WHERE customer_id = $1 ORDER BY observed_at DESC LIMIT $2`,
      [customerId, limit],
    );
  }

  async interventions(db: Queryable, customerId: string, limit: number): Promise<CustomerInterventionRow[]> {
    return db.query<CustomerInterventionRow>(
      'monitoring_customers.interventions',
      `SELECT intervention_id, source, performed_by, performed_at, action, channel, offer, cost::float8 AS cost FROM interventions
        WHERE customer_id = $1 ORDER BY performed_at DESC LIMIT $2`,
      [customerId, limit],
    );
  }

  /**
   * The distribution of every feature over the customers' newest vectors of one spec: quantiles and the
   * mean of `numeric` features, the shares of the `POPULATION_TOP_CATEGORIES` most frequent values of
   * `categorical` ones (the rest as `(other)`), and how many customers lack a value.
   */
  async computePopulation(
    db: Queryable,
    specHash: string,
    numeric: readonly string[],
    categorical: readonly string[],
  ): Promise<Map<string, PopulationSummary>> {
    const [customers] = await db.query<{ n: number }>(
      'monitoring_population.customers',
      'SELECT count(*)::int AS n FROM monitoring_customer_vectors WHERE spec_hash = $1',
      [specHash],
    );
    const total = customers?.n ?? 0;
    const numbers = await db.query<{ name: string; n: number; mean: number | null; quantiles: number[] | null }>(
      'monitoring_population.numeric',
      `SELECT f.key AS name, count(*)::int AS n, avg((f.value)::text::float8) AS mean,
              percentile_cont($3::float8[]) WITHIN GROUP (ORDER BY (f.value)::text::float8) AS quantiles
         FROM monitoring_customer_vectors v, jsonb_each(v.features) AS f
        WHERE v.spec_hash = $1 AND f.key = ANY($2::text[]) AND jsonb_typeof(f.value) = 'number'
        GROUP BY f.key`,
      [specHash, numeric, POPULATION_QUANTILES],
    );
    const categories = await db.query<{ name: string; value: string; n: number }>(
      'monitoring_population.categorical',
      `SELECT f.key AS name, f.value #>> '{}' AS value, count(*)::int AS n
         FROM monitoring_customer_vectors v, jsonb_each(v.features) AS f
        WHERE v.spec_hash = $1 AND f.key = ANY($2::text[]) AND jsonb_typeof(f.value) IN ('string', 'number')
        GROUP BY 1, 2`,
      [specHash, categorical],
    );
    const summaries = new Map<string, PopulationSummary>();
    for (const name of numeric) {
      const row = numbers.find((r) => r.name === name);
      const quantiles = Object.fromEntries(
        POPULATION_QUANTILES.map((q, i) => ['p' + String(Math.round(q * 100)), row?.quantiles?.[i] ?? null]).filter(([, v]) => v !== null),
      );
      summaries.set(name, { type: 'numeric', customers: total, missing: total - (row?.n ?? 0), mean: row?.mean ?? null, quantiles });
    }
    for (const name of categorical) {
      const rows = categories.filter((r) => r.name === name).sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1));
      const present = rows.reduce((n, r) => n + r.n, 0);
      const top = rows.slice(0, POPULATION_TOP_CATEGORIES).map((r) => ({ value: r.value, share: total > 0 ? r.n / total : 0 }));
      const rest = rows.slice(POPULATION_TOP_CATEGORIES).reduce((n, r) => n + r.n, 0);
      summaries.set(name, {
        type: 'categorical',
        customers: total,
        missing: total - present,
        shares: rest > 0 ? [...top, { value: '(other)', share: rest / total }] : top,
      });
    }
    return summaries;
  }

  /** Replaces the stored distributions with those of one refresh (features no longer in the spec go). */
  async replacePopulation(tx: Queryable, specHash: string, summaries: ReadonlyMap<string, PopulationSummary>, computedAt: Date): Promise<void> {
    await tx.query('monitoring_population.clear', 'DELETE FROM monitoring_feature_population');
    if (summaries.size === 0) return;
    await tx.query(
      'monitoring_population.insert',
      `INSERT INTO monitoring_feature_population (feature, spec_hash, summary, computed_at)
       SELECT u.feature, $3, u.summary::jsonb, $4 FROM unnest($1::text[], $2::text[]) AS u(feature, summary)`,
      [[...summaries.keys()], [...summaries.values()].map((s) => JSON.stringify(s)), specHash, computedAt],
    );
  }

  async population(db: Queryable): Promise<{ feature: string; spec_hash: string; summary: PopulationSummary; computed_at: Date }[]> {
    return db.query('monitoring_population.read', 'SELECT feature, spec_hash, summary, computed_at FROM monitoring_feature_population');
  }
}
