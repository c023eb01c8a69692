import { Controller, Get, Inject, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiAnswer, JwtAuthGuard, RequireRoleOrHigher, SERVICE_CONFIG, ZodValidationPipe } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { UpstreamForwarder } from './upstream-forwarder';
import { UpstreamError } from './upstream-error';
import { sandboxOutboxSchema } from '@churn/contracts';

const outboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

/**
 * The dashboard's "Sandbox outbox" page: what alerting and crm-sync sent to the demo's local Slack,
 * SMTP, Salesforce and HubSpot stand-ins. The sandbox runs in the `churn demo` process, so the browser
 * reaches it only through this service (same origin); monitoring forwards the read and holds nothing.
 * What the stand-ins received names customers, so reading it needs an agent's token.
 */
@Controller('v1/sandbox')
export class SandboxOutboxController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(UpstreamForwarder) private readonly forwarder: UpstreamForwarder,
  ) {}

  @Get('outbox')
  @ApiAnswer('SandboxOutbox', sandboxOutboxSchema)
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  async outbox(@Query(new ZodValidationPipe(outboxQuery)) query: z.output<typeof outboxQuery>, @Res() res: Response): Promise<void> {
    const base = this.config.MONITORING_SANDBOX_URL;
    if (!base) {
      throw new UpstreamError(
        'SANDBOX_NOT_CONFIGURED',
        'no integration sandbox: alerting and crm-sync talk to the real Slack, e-mail and CRMs (or those are disabled); `churn demo` starts one',
      );
    }
    await this.forwarder.relay(res, 'sandbox', new URL(`/outbox?limit=${query.limit}`, base), { method: 'GET' });
  }
}
