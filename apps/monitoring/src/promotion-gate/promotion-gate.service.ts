import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { rocAuc } from '@churn/analytics';
import { Topics, type ModelAlert } from '@churn/contracts';
import { Database } from '@churn/db';
import { MonitoringModelRegistryRepository, MonitoringRepository, type LabelledPredictionRow } from '@churn/monitoring-data';
import { TopicProducer } from '@churn/kafka';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import type { JobContext } from '@churn/scheduler';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { pairedLogLoss, type PairedLogLossResult, type PairedOutcome } from './paired-log-loss';
import { ScorerAdminClient } from './scorer-admin-client';

/**
 * - `promoted`: the challenger passed and AUTO_PROMOTE is on; it is the champion now.
 * - `recommended`: it passed, AUTO_PROMOTE is off; an admin promotes it (POST /v1/models/{v}/activate).
 * - `kept`: it did not beat the champion by the margin; the champion stays.
 * - `insufficient_outcomes`: fewer paired outcomes than PROMOTION_GATE_MIN_OUTCOMES; nothing changes.
 * - `no_challenger`: nothing shadows the champion; nothing to decide, nobody told.
 */
export type GateDecision = 'promoted' | 'recommended' | 'kept' | 'insufficient_outcomes' | 'no_challenger';

export interface GateResult extends Record<string, unknown> {
  readonly decision: GateDecision;
  readonly champion: string | null;
  readonly challenger: string | null;
  readonly test?: PairedLogLossResult | { customers: number };
  readonly champion_roc_auc?: number | null;
  readonly challenger_roc_auc?: number | null;
}

/** Each customer's outcome, as judged against both versions' last prediction made early enough before it. */
export function pairOutcomes(rows: readonly LabelledPredictionRow[], champion: string, challenger: string): PairedOutcome[] {
  const byOutcome = new Map<string, { churned: boolean; customer_id: string; champion?: number; challenger?: number }>();
  for (const row of rows) {
    if (row.model_version !== champion && row.model_version !== challenger) continue;
    const key = `${row.customer_id}\u0000${row.observed_at.toISOString()}`;
    const entry = byOutcome.get(key) ?? { churned: row.churned, customer_id: row.customer_id };
    if (row.model_version === champion) entry.champion = row.churn_probability;
    else entry.challenger = row.churn_probability;
    byOutcome.set(key, entry);
  }
  return [...byOutcome.values()]
    .filter((e): e is Required<typeof e> => e.champion !== undefined && e.challenger !== undefined)
    .sort((a, b) => a.customer_id.localeCompare(b.customer_id));
}

/**
 * The promotion gate job: compares the shadow challenger with the champion on the same customers'
 * live outcomes (a paired bootstrap of the log-loss difference, paired-log-loss.ts), promotes it
 * through the scorer's admin API when it beats the champion by PROMOTION_GATE_MARGIN and AUTO_PROMOTE
 * is on, and tells the admins either way on `model-alerts` (alerting sends it to OPS_*).
 *
 * A retry of the same run changes nothing more: the notice's id is derived from the run and the
 * decision (alerting stores a model alert once per id), the figures are reproducible (seeded), and
 * a run whose activation went through before its process died finds the challenger champion,
 * activated by this run (`promotion-gate:<run id>`), and reports it promoted without a second call.
 */
@Injectable()
export class PromotionGateService {
  private readonly versions = new MonitoringModelRegistryRepository();
  private readonly monitoring = new MonitoringRepository();
  private readonly logger: Logger;
  private readonly decisions;
  private readonly scorer: ScorerAdminClient | null;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: PromotionGateService.name });
    this.decisions = getOrCreateCounter(registry, {
      name: 'churn_promotion_gate_decisions_total',
      help: 'Promotion gate runs by decision.',
      labelNames: ['decision'] as const,
    });
    this.scorer = config.AUTH_JWT_SECRET
      ? new ScorerAdminClient({
          scorerUrl: config.SCORER_URL,
          secret: config.AUTH_JWT_SECRET,
          issuer: config.AUTH_JWT_ISSUER,
          audience: config.AUTH_JWT_AUDIENCE,
        })
      : null;
  }

  async run(job: Pick<JobContext, 'runId' | 'logger'>): Promise<GateResult> {
    const { champion, shadow, champion_activated_by } = await this.versions.assignment(this.database);
    if (shadow === null || champion === null) {
      if (champion !== null && champion_activated_by === ScorerAdminClient.actorOf(job.runId)) {
        // This run promoted it before its process died: the notice went out before the call.
        return this.record({ decision: 'promoted', champion, challenger: champion });
      }
      return this.record({ decision: 'no_challenger', champion, challenger: shadow });
    }
    const rows = await this.monitoring.labelledPredictions(this.database, this.config.MONITORING_LABEL_DELAY_DAYS);
    const pairs = pairOutcomes(rows, champion, shadow);
    const auc = (pick: (p: PairedOutcome) => number) => rocAuc(pairs.map((p) => ({ score: pick(p), label: p.churned }))) ?? null;
    const figures = { champion_roc_auc: auc((p) => p.champion), challenger_roc_auc: auc((p) => p.challenger) };
    if (pairs.length < this.config.PROMOTION_GATE_MIN_OUTCOMES) {
      const result: GateResult = { decision: 'insufficient_outcomes', champion, challenger: shadow, test: { customers: pairs.length }, ...figures };
      await this.tell(
        job.runId,
        result,
        `${shadow} stays in shadow: ${pairs.length} customers have an outcome judged against both it and ${champion}, the gate needs ${this.config.PROMOTION_GATE_MIN_OUTCOMES}`,
      );
      return this.record(result);
    }
    const test = pairedLogLoss(pairs, {
      margin: this.config.PROMOTION_GATE_MARGIN,
      confidence: this.config.PROMOTION_GATE_CONFIDENCE,
      samples: this.config.PROMOTION_GATE_BOOTSTRAP_SAMPLES,
      seed: seedOf(job.runId),
    });
    const decision: GateDecision = !test.beats_margin ? 'kept' : this.config.AUTO_PROMOTE ? 'promoted' : 'recommended';
    const result: GateResult = { decision, champion, challenger: shadow, test, ...figures };
    await this.tell(job.runId, result, message(result, test));
    if (decision === 'promoted') {
      if (!this.scorer) throw new Error('AUTO_PROMOTE is on without AUTH_JWT_SECRET'); // refused at start by the config schema
      await this.scorer.activate(shadow, job.runId);
      job.logger.info({ champion: shadow, previous_champion: champion }, 'challenger promoted by the promotion gate');
    }
    return this.record(result);
  }

  private record(result: GateResult): GateResult {
    this.decisions.inc({ decision: result.decision });
    this.logger.info({ decision: result.decision, champion: result.champion, challenger: result.challenger, test: result.test }, 'promotion gate decided');
    return result;
  }

  /** The admins' notice: a `promotion_gate` model alert, published once per run and decision. */
  private async tell(runId: string, result: GateResult, text: string): Promise<void> {
    const test = result.test && 'improvement_lower_bound' in result.test ? result.test : null;
    const alert: ModelAlert = {
      alert_id: createHash('sha256').update(`promotion-gate\u0000${runId}\u0000${result.decision}`).digest('hex').slice(0, 32),
      model_version: result.challenger!,
      kind: 'promotion_gate',
      subject: result.decision,
      value: test?.improvement_lower_bound ?? 0,
      threshold: this.config.PROMOTION_GATE_MARGIN,
      message: text,
      created_at: new Date().toISOString(),
    };
    await this.producer.send(Topics.modelAlerts, [{ key: alert.model_version, value: alert }]);
  }
}

function fixed(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(digits);
}

function message(result: GateResult, test: PairedLogLossResult): string {
  const verdict = {
    promoted: `${result.challenger} is promoted to champion (AUTO_PROMOTE on); ${result.champion} goes back to registered`,
    recommended: `${result.challenger} passes the promotion gate; AUTO_PROMOTE is off, so an admin promotes it with POST /v1/models/${result.challenger}/activate`,
    kept: `${result.challenger} does not beat ${result.champion} by the margin; ${result.champion} stays champion`,
  }[result.decision as 'promoted' | 'recommended' | 'kept'];
  return (
    `${verdict}. On ${test.customers} customers' outcomes (${test.churned} churned) judged against both: log-loss ${fixed(test.champion_log_loss)} (champion) vs ${fixed(test.challenger_log_loss)} (challenger), ` +
    `improvement ${fixed(test.improvement)} with a ${Math.round(test.confidence * 100)} % lower bound of ${fixed(test.improvement_lower_bound)} (margin ${test.margin}, paired bootstrap p = ${fixed(test.p_value, 3)}); ` +
    `ROC-AUC ${fixed(result.champion_roc_auc)} vs ${fixed(result.challenger_roc_auc)}.`
  );
}

/** The bootstrap's seed from the run id, so a retry of a run reproduces its figures exactly. */
function seedOf(runId: string): number {
  return createHash('sha256').update(runId).digest().readUInt32BE(0);
}
