import { Inject, Injectable } from '@nestjs/common';
import type { Outcome } from '@churn/contracts';
import { Database, type Queryable } from '@churn/db';
import { InterventionRepository, MonitoringRepository, OutcomeRepository } from '@churn/monitoring-data';
import { type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY } from '@churn/service-kit';
import { readCsvRows } from './csv-rows';
import { INTERVENTION_KIND, OUTCOME_KIND, type InterventionRecord, type RecordKind } from './record-kinds';
import { inputsFromCsv, validateRecords, type InputRow } from './record-validation';
import { RecordsRefusedError, UnreadableRecordsError, type RecordKindName, type RowProblem } from './row-problems';
import { recordsRecordedCounters, refusalCounters } from './records-metrics';

/** An upload as the controller received it: one JSON record, or a CSV file with a header row. */
export type RecordsBody =
  | { readonly format: 'json'; readonly record: unknown }
  | { readonly format: 'csv'; readonly text: string }
  | { readonly format: 'unsupported'; readonly contentType: string };

export interface RecordsResult {
  readonly rows: number;
  /** Rows stored now. */
  readonly recorded: number;
  /** Rows that were stored already (sent before): left as they were. */
  readonly already_present: number;
}

/**
 * Outcomes and interventions sent by people (`POST /v1/outcomes`, `POST /v1/interventions`, the CLI's
 * imports): a whole upload is checked before anything is stored — every bad row listed with its line
 * and field — and then stored in one transaction, the customer check included, so that an upload is
 * recorded entirely or not at all.
 */
@Injectable()
export class PeopleRecordsService {
  private readonly outcomes = new OutcomeRepository();
  private readonly interventions = new InterventionRepository();
  private readonly monitoring = new MonitoringRepository();
  private readonly logger: Logger;
  private readonly recorded;
  private readonly refused;

  constructor(
    private readonly database: Database,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: PeopleRecordsService.name });
    this.recorded = recordsRecordedCounters(registry);
    this.refused = refusalCounters(registry);
  }

  /** Outcomes join the table the `outcomes` topic fills, with its rule: one per outcome id (given, or derived from customer and `observed_at`). */
  async recordOutcomes(body: RecordsBody, actor: string): Promise<RecordsResult> {
    const source = body.format === 'json' ? 'api' : 'import';
    return this.record(OUTCOME_KIND, body, actor, (tx, records: Outcome[]) => this.outcomes.insertNew(tx, records, source));
  }

  async recordInterventions(body: RecordsBody, actor: string): Promise<RecordsResult> {
    const source = body.format === 'json' ? 'api' : 'import';
    return this.record(INTERVENTION_KIND, body, actor, (tx, records: InterventionRecord[]) => this.interventions.insertNew(tx, source, records));
  }

  private async record<T extends { customer_id: string }>(
    kind: RecordKind<T>,
    body: RecordsBody,
    actor: string,
    insert: (tx: Queryable, records: T[]) => Promise<number>,
  ): Promise<RecordsResult> {
    const source = body.format === 'json' ? 'api' : 'import';
    try {
      const { inputs, problems: readProblems } = this.inputsOf(kind, body);
      const { records, problems } = validateRecords(kind, inputs, new Date());
      const rows = inputs.length + readProblems.filter((p) => p.field === '(row)').length;
      const result = await this.database.transaction(async (tx) => {
        const known = await this.monitoring.knownCustomers(
          tx,
          records.map((r) => r.record.customer_id),
        );
        const unknown: RowProblem[] = records
          .filter((r) => !known.has(r.record.customer_id))
          .map((r) => ({
            line: r.line,
            field: 'customer_id',
            code: 'unknown_customer',
            message: `customer ${r.record.customer_id} has no prediction: monitoring does not know it`,
          }));
        const all = [...readProblems, ...problems, ...unknown].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        // Thrown inside the transaction: nothing of a refused upload is stored.
        if (all.length > 0) throw new RecordsRefusedError(kind.name, Math.max(rows, 1), all);
        const fresh = await insert(
          tx,
          records.map((r) => r.record),
        );
        return { rows: records.length, recorded: fresh, already_present: records.length - fresh };
      });
      this.recorded[kind.name].inc({ source }, result.recorded);
      this.logger.info({ kind: kind.name, source, actor, ...result }, `${kind.name} recorded`);
      return result;
    } catch (error) {
      if (error instanceof RecordsRefusedError) this.countRefusal(kind.name, source, actor, error.problems);
      else if (error instanceof UnreadableRecordsError) this.countUnreadable(kind.name, source, actor, error);
      throw error;
    }
  }

  private inputsOf<T>(kind: RecordKind<T>, body: RecordsBody): { inputs: InputRow[]; problems: RowProblem[] } {
    if (body.format === 'unsupported') {
      throw new UnreadableRecordsError(
        'unsupported_media_type',
        `content type ${body.contentType}: send one record as application/json or many as text/csv (with a header row)`,
      );
    }
    if (body.format === 'json') {
      if (typeof body.record !== 'object' || body.record === null || Array.isArray(body.record)) {
        throw new UnreadableRecordsError(
          'malformed_json',
          `the JSON body must be one ${kind.name === 'outcomes' ? 'outcome' : 'intervention'} object (send many as text/csv)`,
        );
      }
      return { inputs: [{ line: null, fields: body.record as Record<string, unknown> }], problems: [] };
    }
    const { rows, problems } = readCsvRows(body.text, kind.columns);
    const converted = inputsFromCsv(kind.columns, rows);
    return { inputs: converted.inputs, problems: [...problems, ...converted.problems] };
  }

  /** Counted by reason; logged with lines, fields and codes only — no customer data. */
  private countRefusal(kind: RecordKindName, source: string, actor: string, problems: readonly RowProblem[]): void {
    this.refused.requests.inc({ kind, reason: 'invalid_rows' });
    const byReason = new Map<string, number>();
    for (const p of problems) byReason.set(p.code, (byReason.get(p.code) ?? 0) + 1);
    for (const [reason, n] of byReason) this.refused.rows.inc({ kind, reason }, n);
    this.logger.warn({ kind, source, actor, problems: problems.length, by_reason: Object.fromEntries(byReason) }, `${kind} refused`);
  }

  private countUnreadable(kind: RecordKindName, source: string, actor: string, error: UnreadableRecordsError): void {
    this.refused.requests.inc({ kind, reason: error.reason });
    this.logger.warn({ kind, source, actor, reason: error.reason }, `${kind} refused: ${error.message}`);
  }
}
