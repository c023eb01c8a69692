import { Body, Controller, Headers, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import type { Logger } from '@churn/observability';
import { DomainError, LOGGER, SERVICE_CONFIG, ZodValidationPipe } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';

const alertId = z.string().min(1).max(200).regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only');
/** Alerting's body of `POST /v1/alerts/{id}/ack`: who acknowledges, and an optional note. */
const ackBody = z.object({ by: z.string().trim().min(1).max(200), note: z.string().max(2000).optional() }).strict();

/**
 * The dashboard's acknowledge button. Alerting owns the alerts and their life cycle, so monitoring
 * only forwards the request — with the caller's own bearer token, which alerting verifies (role
 * agent or admin) and audits — to alerting's `POST /v1/alerts/{id}/ack` and returns its answer
 * unchanged. Monitoring holds no credential of its own and never writes the alerts table.
 */
@Controller('v1/alerts')
export class AlertAckController {
  private readonly logger: Logger;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: AlertAckController.name });
  }

  @Post(':id/acknowledge')
  async acknowledge(
    @Param('id', new ZodValidationPipe(alertId)) id: string,
    @Body(new ZodValidationPipe(ackBody)) body: z.output<typeof ackBody>,
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const url = new URL(`/v1/alerts/${encodeURIComponent(id)}/ack`, this.config.ALERTING_URL);
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      this.logger.warn({ alert_id: id, err: error }, 'alerting API unreachable');
      throw new DomainError('ALERTING_UNAVAILABLE', `alerting's API at ${this.config.ALERTING_URL} did not answer`, HttpStatus.BAD_GATEWAY);
    }
    this.logger.info({ alert_id: id, status: upstream.status }, 'acknowledge forwarded to alerting');
    res.status(upstream.status).type(upstream.headers.get('content-type') ?? 'application/json').send(await upstream.text());
  }
}
