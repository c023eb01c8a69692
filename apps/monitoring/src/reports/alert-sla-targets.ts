import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ALERTING_ROUTES, RISK_LEVELS, type RiskLevel } from '@churn/contracts';
import type { Logger } from '@churn/observability';
import { LOGGER, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { UpstreamForwarder } from '../http/upstream-forwarder';

/** The part of alerting's `GET /v1/alerts/rules` a report needs: each level's time-to-acknowledge target. */
const rulesAnswer = z.object({
  source: z.string(),
  rules: z.object({ sla_hours: z.record(z.string(), z.number().positive()) }),
});

export interface SlaTargets {
  /** Seconds per level; null when alerting could not tell (the report then leaves the late counts empty). */
  readonly seconds: Readonly<Record<RiskLevel, number>> | null;
  /** Where they came from, printed under the report's SLA table. */
  readonly description: string;
}

/**
 * The SLA targets alerting works to, asked of alerting (its rules file, hot-reloaded, is the only
 * place they are set), so the report's "late" counts are the ones alerting's own SLA figures use.
 * A report is still worth sending when alerting does not answer: the targets are then null and the
 * report says why.
 */
@Injectable()
export class AlertSlaTargets {
  private readonly logger: Logger;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(UpstreamForwarder) private readonly forwarder: UpstreamForwarder,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: AlertSlaTargets.name });
  }

  async current(): Promise<SlaTargets> {
    try {
      const answer = await this.forwarder.forward('alerting', new URL(ALERTING_ROUTES.rules.path(), this.config.ALERTING_URL), { method: 'GET' });
      if (!answer.ok) throw new Error(`alerting answered ${answer.status}`);
      const { source, rules } = rulesAnswer.parse(await answer.json());
      const seconds = Object.fromEntries(RISK_LEVELS.map((level) => [level, (rules.sla_hours[level] ?? NaN) * 3600])) as Record<RiskLevel, number>;
      if (RISK_LEVELS.some((level) => !Number.isFinite(seconds[level]))) throw new Error('alerting’s rules lack a level’s target');
      return { seconds, description: `targets from alerting's rules (${source})` };
    } catch (error) {
      this.logger.warn({ err: error }, 'alerting’s SLA targets unavailable; the report leaves late counts empty');
      return { seconds: null, description: `targets unknown: alerting's rules could not be read (${error instanceof Error ? error.message : String(error)})` };
    }
  }
}
