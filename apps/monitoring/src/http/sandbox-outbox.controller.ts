import { Controller, Get, HttpStatus, Inject, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import type { Counter } from 'prom-client';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { DomainError, JwtAuthGuard, LOGGER, METRICS_REGISTRY, RequireRoleOrHigher, SERVICE_CONFIG, ZodValidationPipe } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';

const outboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

/**
 * The dashboard's "Sandbox outbox" page: what alerting and crm-sync sent to the demo's local Slack,
 * SMTP, Salesforce and HubSpot stand-ins. The sandbox runs in the `churn demo` process, so the browser
 * reaches it only through this service (same origin); monitoring forwards the read and holds nothing.
 * What the stand-ins received names customers, so reading it needs an agent's token.
 */
@Controller('v1/sandbox')
export class SandboxOutboxController {
  private readonly logger: Logger;
  private readonly reads: Counter<'outcome'>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: SandboxOutboxController.name });
    this.reads = getOrCreateCounter(registry, {
      name: 'monitoring_sandbox_outbox_reads_total',
      help: 'Reads of the integration sandbox outbox, by outcome (ok, not_configured, unreachable, upstream_error).',
      labelNames: ['outcome'],
    });
  }

  @Get('outbox')
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  async outbox(@Query(new ZodValidationPipe(outboxQuery)) query: z.output<typeof outboxQuery>, @Res() res: Response): Promise<void> {
    const base = this.config.MONITORING_SANDBOX_URL;
    if (!base) {
      this.reads.inc({ outcome: 'not_configured' });
      throw new DomainError('SANDBOX_NOT_CONFIGURED', 'no integration sandbox: alerting and crm-sync talk to the real Slack, e-mail and CRMs (or those are disabled); `churn demo` starts one', HttpStatus.NOT_FOUND);
    }
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(new URL(`/outbox?limit=${query.limit}`, base), { signal: AbortSignal.timeout(5000) });
    } catch (error) {
      this.reads.inc({ outcome: 'unreachable' });
      this.logger.warn({ err: error }, 'integration sandbox unreachable');
      throw new DomainError('SANDBOX_UNAVAILABLE', `the integration sandbox at ${base} did not answer (has the demo stopped?)`, HttpStatus.BAD_GATEWAY);
    }
    this.reads.inc({ outcome: upstream.ok ? 'ok' : 'upstream_error' });
    res.status(upstream.status).type(upstream.headers.get('content-type') ?? 'application/json').send(await upstream.text());
  }
}
