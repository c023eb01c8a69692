import { CrmIntegrationRepository, type CrmTarget } from '@churn/crm-sync-data';
import { AuditLogRepository, type Database } from '@churn/db';
import type { Logger } from '@churn/observability';
import { CrmCallError, PAUSE_REASONS, pauseReasonOf, type PauseReason } from './crm-errors';
import type { CrmGateway } from './crm-gateway';
import type { CrmMetrics } from './crm-metrics';

/**
 * The state of one CRM integration that every instance shares through Postgres: held after a rate
 * limit (no instance calls it before the window passes) and paused after an error no retry fixes
 * (rows stay pending). A pause ends when an admin resumes it or when the field check passes (at
 * start, or as the periodic probe one instance runs while paused).
 */
export class CrmIntegrationControl {
  private readonly repo = new CrmIntegrationRepository();
  private readonly audit = new AuditLogRepository();

  constructor(
    private readonly db: Database,
    private readonly gateway: CrmGateway,
    private readonly metrics: CrmMetrics,
    private readonly logger: Logger,
    private readonly probeIntervalMs: number,
  ) {}

  get target(): CrmTarget {
    return this.gateway.target;
  }

  /** Holds every instance's calls to this CRM for `delayMs`. */
  async holdAfterRateLimit(code: string, delayMs: number, message: string): Promise<void> {
    const until = await this.repo.hold(this.db, this.target, delayMs, code);
    this.metrics.rateLimits.inc({ crm: this.target, policy: code });
    this.metrics.rateLimitHold.set({ crm: this.target }, Math.max(0, (until.getTime() - Date.now()) / 1000));
    this.logger.warn({ target: this.target, code, holdUntil: until.toISOString(), err: message }, 'CRM rate limit: no instance calls it until the hold ends');
  }

  async pause(code: string, detail: string): Promise<void> {
    const reason = pauseReasonOf(code);
    const first = await this.repo.pause(this.db, this.target, reason, `${code}: ${detail}`, this.probeIntervalMs);
    setPausedGauge(this.metrics, this.target, reason);
    if (first) {
      this.logger.error(
        { target: this.target, reason, code, err: detail },
        'CRM integration paused: its rows stay queued until an admin resumes it (POST /v1/integrations/{crm}/resume) or the field check passes',
      );
    }
  }

  /** Resumes a paused integration; a person's resume (`actor`) is audited in the same transaction. */
  async resume(by: string, actor?: string): Promise<boolean> {
    const resumed = await this.db.transaction(async (tx) => {
      const done = await this.repo.resume(tx, this.target, by);
      if (done && actor) await this.audit.record(tx, { actor, action: 'crm_integration.resume', subject: `crm:${this.target}` });
      return done;
    });
    if (resumed) {
      setPausedGauge(this.metrics, this.target, null);
      this.logger.info({ target: this.target, by }, 'CRM integration resumed');
    }
    return resumed;
  }

  /** The field check at start: pauses on missing fields or a misconfiguration, resumes a pause it no longer finds. */
  async checkAtStart(): Promise<void> {
    await this.check('startup field check');
  }

  /** While paused, the probe (the field check) of one instance every probe interval. */
  async probeIfDue(): Promise<void> {
    if (!(await this.repo.claimProbe(this.db, this.target, this.probeIntervalMs))) return;
    await this.check('probe');
  }

  /**
   * The field check: the configured fields the CRM lacks. When some are missing, the gateway's setup
   * runs once more (HubSpot creates missing properties, when the token may) and the CRM is asked again.
   */
  private async check(by: string): Promise<void> {
    let missing: string[];
    try {
      let found = await this.gateway.missingFields();
      if (found.length > 0) {
        await this.gateway.prepare();
        found = await this.gateway.missingFields();
      }
      missing = found.map((f) => `${f.object}.${f.name}`);
    } catch (error) {
      if (error instanceof CrmCallError && error.kind === 'misconfigured') return this.pause(error.code, error.message);
      if (error instanceof CrmCallError && error.kind === 'rate_limited') return this.holdAfterRateLimit(error.code, error.retryAfterMs ?? 0, error.message);
      // An outage says nothing about the configuration; the drain loop and its breaker handle it.
      this.logger.warn({ target: this.target, by, err: error instanceof Error ? error.message : String(error) }, 'CRM field check could not run');
      return;
    }
    if (missing.length > 0) {
      this.logger.error({ target: this.target, by, missing }, `CRM fields missing: ${missing.join(', ')}`);
      return this.pause('MISSING_FIELDS', `missing: ${missing.join(', ')}`);
    }
    await this.resume(by);
  }
}

/** Sets crm_sync_integration_paused for one CRM: 1 for the current reason, 0 for the others. */
export function setPausedGauge(metrics: CrmMetrics, crm: CrmTarget, reason: PauseReason | string | null): void {
  for (const r of PAUSE_REASONS) metrics.integrationPaused.set({ crm, reason: r }, r === reason ? 1 : 0);
}
