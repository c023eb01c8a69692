import { Injectable } from '@nestjs/common';
import { type CustomerFilterOptions, type CustomerListItem, type CustomerListPage, type CustomerPage, RISK_LEVELS, riskLevelSchema } from '@churn/contracts';
import { Database } from '@churn/db';
import {
  CUSTOMER_SORT_KEYS,
  type CustomerListRow,
  type CustomerRow,
  MonitoringCustomerActivityRepository,
  MonitoringCustomersRepository,
  type PopulationSummary,
} from '@churn/monitoring-data';
import { crmEntry, notificationEntry } from './activity-timeline';
import { CUSTOMER_ALERT_FILTERS, type CustomerListRequest } from './customer-list-query';
import { CustomerReadModel } from './customer-read-model.service';
import { customerCsvChunk } from './customer-csv';
import type { FeatureValue } from './customer-spec-view';
import { CustomerError } from './customer-error';

/** Points of the score history a customer page gets (the newest). */
export const SCORE_HISTORY_LIMIT = 500;
/** Matches the list counts exactly; beyond, `total` is this and `total_is_lower_bound` true. */
export const CUSTOMER_COUNT_LIMIT = 10_000;
/** Arms the filter picker offers (the newest experiments have few; a filter may name any arm). */
export const FILTER_ARMS_LIMIT = 200;
/** Entries of each kind on the timeline (the newest). */
export const TIMELINE_LIMIT_PER_KIND = 100;

export interface CustomerAlert {
  alert_id: string;
  level: string;
  state: string;
  due_at: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: 'prediction' | 'alert' | 'outcome' | 'intervention' | 'notification' | 'crm';
  summary: string;
  [detail: string]: unknown;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The customer list, its CSV export and a customer's page, from monitoring's own tables only. */
@Injectable()
export class CustomersService {
  private readonly repository = new MonitoringCustomersRepository();
  private readonly activity = new MonitoringCustomerActivityRepository();

  constructor(
    private readonly database: Database,
    private readonly readModel: CustomerReadModel,
  ) {}

  async list(request: CustomerListRequest): Promise<CustomerListPage> {
    const { rows, total, totalIsLowerBound } = await this.repository.list(this.database, request.filter, request.sort, {
      limit: request.pageSize,
      offset: (request.page - 1) * request.pageSize,
      countLimit: CUSTOMER_COUNT_LIMIT,
    });
    return { customers: rows.map((r) => this.listItem(r)), page: request.page, page_size: request.pageSize, total, total_is_lower_bound: totalIsLowerBound };
  }

  /**
   * Writes every customer of the filter as CSV, a cursor batch at a time, waiting for the client to take
   * each chunk (`write` resolves when it may go on). Returns the number of rows written.
   */
  async exportCsv(request: CustomerListRequest, write: (chunk: string) => Promise<void>): Promise<number> {
    let rows = 0;
    await this.database.transaction(async (tx) => {
      // One snapshot for the whole file, though it takes many fetches.
      await tx.query('monitoring_customers.export_snapshot', 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await this.repository.eachMatching(tx, request.filter, request.sort, async (batch) => {
        await write(customerCsvChunk(this.readModel.spec, batch, rows === 0));
        rows += batch.length;
      });
      if (rows === 0) await write(customerCsvChunk(this.readModel.spec, [], true));
    });
    return rows;
  }

  /** What the list can be filtered and sorted by: the active spec's attributes, the levels, alert states and the arms customers carry. */
  async filters(): Promise<CustomerFilterOptions> {
    const spec = this.readModel.spec;
    return {
      spec: spec.name,
      attributes: spec.filterableAttributes,
      risk_levels: RISK_LEVELS,
      alert_states: CUSTOMER_ALERT_FILTERS,
      arms: await this.repository.arms(this.database, FILTER_ARMS_LIMIT),
      sorts: CUSTOMER_SORT_KEYS,
    };
  }

  /** A customer's page; 404 CUSTOMER_NOT_FOUND when monitoring has no row for the id. */
  async detail(customerId: string): Promise<CustomerPage> {
    const row = await this.repository.find(this.database, customerId);
    if (!row) throw new CustomerError('CUSTOMER_NOT_FOUND', `monitoring knows no customer ${JSON.stringify(customerId)}`);
    const [history, alertUpdates, outcomes, interventions, population, notifications, crmActivity] = await Promise.all([
      this.repository.scoreHistory(this.database, customerId, SCORE_HISTORY_LIMIT),
      this.repository.alertUpdates(this.database, customerId, TIMELINE_LIMIT_PER_KIND),
      this.repository.outcomes(this.database, customerId, TIMELINE_LIMIT_PER_KIND),
      this.repository.interventions(this.database, customerId, TIMELINE_LIMIT_PER_KIND),
      this.repository.population(this.database),
      this.activity.notifications(this.database, customerId, TIMELINE_LIMIT_PER_KIND),
      this.activity.crmActivity(this.database, customerId, TIMELINE_LIMIT_PER_KIND),
    ]);
    const spec = this.readModel.spec;
    const distributions = new Map<string, PopulationSummary>(population.filter((p) => p.spec_hash === spec.hash).map((p) => [p.feature, p.summary]));
    const vectorOfActiveSpec = row.features !== null && row.features_spec_hash === spec.hash;
    const timeline: TimelineEntry[] = [
      ...history
        .filter((p) => p.role === 'champion')
        .slice(-TIMELINE_LIMIT_PER_KIND)
        .map((p) => ({
          at: p.scored_at.toISOString(),
          kind: 'prediction' as const,
          summary: `scored ${p.risk_score} (${p.risk_level}) by ${p.model_version}`,
          prediction_id: p.prediction_id,
          as_of: p.as_of.toISOString(),
          risk_score: p.risk_score,
          model_version: p.model_version,
        })),
      ...alertUpdates.map((u) => ({
        at: u.occurred_at.toISOString(),
        kind: 'alert' as const,
        summary: `${u.level} alert ${u.change}${u.changed_by ? ` by ${u.changed_by}` : ''}${u.change === 'assigned' && u.assignee ? ` to ${u.assignee}` : ''}`,
        alert_id: u.alert_id,
        change: u.change,
        state: u.state,
        level: u.level,
        assignee: u.assignee,
        by: u.changed_by,
        note: u.note,
        due_at: iso(u.due_at),
      })),
      ...outcomes.map((o) => ({
        at: o.observed_at.toISOString(),
        kind: 'outcome' as const,
        summary: o.churned ? 'churned' : 'stayed',
        outcome_id: o.outcome_id,
        churned: o.churned,
        source: o.source,
        intervention_applied: o.intervention_applied,
      })),
      ...interventions.map((i) => ({
        at: i.performed_at.toISOString(),
        kind: 'intervention' as const,
        summary: `${i.action} by ${i.performed_by}`,
        intervention_id: i.intervention_id,
        action: i.action,
        performed_by: i.performed_by,
        channel: i.channel,
        offer: i.offer,
        cost: i.cost,
        source: i.source,
      })),
      ...notifications.map(notificationEntry),
      ...crmActivity.map(crmEntry),
    ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return {
      customer: { ...this.customerOf(row), previous_risk_score: row.previous_risk_score, as_of: iso(row.prediction_as_of), prediction_id: row.prediction_id },
      drivers: (row.top_factors ?? []).map((f) => ({ feature: f.feature, value: f.value, contribution: f.contribution })),
      score_history: history.map((p) => ({
        scored_at: p.scored_at.toISOString(),
        as_of: p.as_of.toISOString(),
        risk_score: p.risk_score,
        risk_level: riskLevelSchema.parse(p.risk_level),
        model_version: p.model_version,
        role: p.role,
      })),
      features_as_of: iso(row.features_as_of),
      features_spec: { active: spec.hash, vector: row.features_spec_hash, matches: vectorOfActiveSpec },
      features: spec.columns.map((c) => ({
        name: c.name,
        kind: c.kind,
        section: c.section,
        type: c.type,
        value: vectorOfActiveSpec ? ((row.features?.[c.name] ?? null) as FeatureValue) : null,
        population: distributions.get(c.name) ?? null,
      })),
      timeline,
      recommended_action: row.recommended_action !== null ? { action: row.recommended_action, cost: row.intervention_cost } : null,
      experiment: row.experiment_name !== null && row.experiment_arm !== null ? { name: row.experiment_name, arm: row.experiment_arm } : null,
    };
  }

  private listItem(r: CustomerListRow): CustomerListItem {
    return {
      ...this.customerOf(r),
      risk_score: r.risk_score,
      risk_level: riskLevelSchema.parse(r.risk_level),
      churn_probability: r.churn_probability,
      revenue_at_risk: r.revenue_at_risk,
      model_version: r.model_version,
    };
  }

  private customerOf(r: CustomerListRow | CustomerRow) {
    const alert: CustomerAlert | null =
      r.alert_id !== null ? { alert_id: r.alert_id, level: r.alert_level ?? '', state: r.alert_state ?? '', due_at: iso(r.alert_due_at) } : null;
    return {
      customer_id: r.customer_id,
      risk_score: r.risk_score,
      // The scorer's risk level (validated on the predictions topic); parsed so that the answer's type holds.
      risk_level: r.risk_level === null ? null : riskLevelSchema.parse(r.risk_level),
      churn_probability: r.churn_probability,
      score_change: r.score_change,
      revenue_at_risk: r.revenue_at_risk,
      model_version: r.model_version,
      scored_at: iso(r.scored_at),
      alert,
      experiment: r.experiment_name !== null && r.experiment_arm !== null ? { name: r.experiment_name, arm: r.experiment_arm } : null,
      attributes: this.readModel.spec.attributesOf(r.attributes),
      crm_task_open: r.crm_task_open,
    };
  }
}
