import CircuitBreaker from 'opossum';
import type { CrmTarget } from '@churn/crm-sync-data';
import type { Logger } from '@churn/observability';
import { CrmCallError } from './crm-errors';
import type { CrmMetrics } from './crm-metrics';

export interface BreakerSettings {
  readonly timeoutMs: number;
  readonly errorThresholdPercentage: number;
  readonly volumeThreshold: number;
  readonly resetTimeoutMs: number;
}

/**
 * One circuit breaker per CRM (opossum): outages (5xx, timeouts, connection and auth failures)
 * count; a record's own errors and rate limits do not. While it is open the drain loop claims
 * nothing, so rows wait in the outbox untouched; after `resetTimeoutMs` one trial call decides.
 */
export class CrmBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    readonly target: CrmTarget,
    settings: BreakerSettings,
    logger: Logger,
    metrics: CrmMetrics,
  ) {
    this.breaker = new CircuitBreaker((work: () => Promise<unknown>) => work(), {
      name: `crm-${target}`,
      timeout: settings.timeoutMs > 0 ? settings.timeoutMs : false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
      errorFilter: (error: unknown) => error instanceof CrmCallError && error.kind !== 'outage',
    });
    metrics.breakerState.set({ target }, 0);
    this.breaker.on('open', () => {
      metrics.breakerState.set({ target }, 2);
      logger.warn({ target }, 'circuit breaker open: CRM calls paused, outbox rows wait');
    });
    this.breaker.on('halfOpen', () => {
      metrics.breakerState.set({ target }, 1);
      logger.info({ target }, 'circuit breaker half-open: trying one call');
    });
    this.breaker.on('close', () => {
      metrics.breakerState.set({ target }, 0);
      logger.info({ target }, 'circuit breaker closed: CRM reachable again');
    });
  }

  /** True while calls would be refused without being made. */
  get isOpen(): boolean {
    return this.breaker.opened && !this.breaker.halfOpen;
  }

  /** Runs `work` through the breaker; a timeout or an open circuit surfaces as an outage. */
  async fire<T>(work: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(work)) as T;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EOPENBREAKER') throw new CrmCallError('outage', 'BREAKER_OPEN', `${this.target} circuit breaker is open`);
      if (code === 'ETIMEDOUT' && !(error instanceof CrmCallError)) throw new CrmCallError('outage', 'TIMEOUT', (error as Error).message);
      throw error;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
