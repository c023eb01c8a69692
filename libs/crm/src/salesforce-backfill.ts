import { CrmOutboxRepository, type QueuedScore } from '@churn/crm-sync-data';
import { type Database } from '@churn/db';
import type { Logger } from '@churn/observability';
import type { RiskLevel } from '@churn/contracts';
import type { ScorePayload } from './crm-payloads';
import type { SalesforceGateway } from './salesforce.gateway';

export interface BackfillResult {
  readonly customers: number;
  readonly succeeded: number;
  readonly failed: { customerId: string; error: string }[];
  readonly jobs: number;
}

/**
 * `churn crm backfill --target salesforce`: the newest champion prediction of every customer
 * (control arm excluded) upserted through Bulk API 2.0 ingest jobs of `jobSize` rows. Each
 * successful row becomes the customer's pushed score, the baseline of later change checks.
 */
export async function backfillSalesforce(
  db: Database,
  gateway: SalesforceGateway,
  logger: Logger,
  options: { jobSize: number; pollIntervalMs: number; pollTimeoutMs: number; dryRun: boolean },
): Promise<BackfillResult> {
  const repo = new CrmOutboxRepository();
  let after = '';
  let customers = 0;
  let succeeded = 0;
  let jobs = 0;
  const failed: { customerId: string; error: string }[] = [];
  for (;;) {
    const page = await repo.latestPredictions(db, after, options.jobSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.customer_id;
    customers += page.length;
    const scores: ScorePayload[] = page.map((p) => ({
      prediction_id: p.prediction_id,
      customer_id: p.customer_id,
      risk_score: p.risk_score,
      churn_probability: p.churn_probability,
      risk_level: p.risk_level as RiskLevel,
      recommended_action: p.recommended_action,
      scored_at: p.scored_at.toISOString(),
      as_of: p.as_of.toISOString(),
      source: { topic: 'predictions', partition: 0, offset: '0' },
    }));
    if (options.dryRun) {
      logger.info({ target: 'salesforce', rows: scores.length, first: scores[0]?.customer_id, last: after }, 'dry run: would upsert through Bulk API 2.0');
      continue;
    }
    jobs += 1;
    const result = await gateway.bulkUpsertScores(scores, { intervalMs: options.pollIntervalMs, timeoutMs: options.pollTimeoutMs });
    const pushed: QueuedScore[] = scores
      .filter((s) => result.succeeded.has(s.customer_id))
      .map((s) => ({
        target: 'salesforce',
        customerId: s.customer_id,
        score: s.risk_score,
        level: s.risk_level,
        predictionId: s.prediction_id,
        asOf: s.as_of,
      }));
    await db.transaction((tx) => repo.recordPushed(tx, pushed));
    succeeded += pushed.length;
    for (const [customerId, error] of result.failed) failed.push({ customerId, error });
    logger.info({ target: 'salesforce', job: jobs, succeeded: pushed.length, failed: result.failed.size }, 'Bulk API 2.0 job done');
  }
  return { customers, succeeded, failed, jobs };
}
