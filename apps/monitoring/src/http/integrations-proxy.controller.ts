import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiAnswer, type AuthenticatedRequest, SERVICE_CONFIG, ZodValidationPipe } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { UpstreamForwarder } from './upstream-forwarder';
import { CRM_SYNC_ROUTES, crmIntegrationListSchema, crmResumeAnswerSchema } from '@churn/contracts';

const crmParam = z.enum(['salesforce', 'hubspot']);

/**
 * The dashboard's "CRM integrations" panel. crm-sync owns each CRM integration's state (active, paused
 * after a whole-call error, held by a rate limit), so monitoring only forwards (UpstreamForwarder):
 * `GET /v1/integrations` is open like `/v1/dashboard` (the aggregate state of an integration names
 * no customer), and `POST /v1/integrations/{crm}/resume` carries the caller's own bearer token (or
 * the one UpstreamForwarder.authorizationOf mints for a signed-in person) to
 * crm-sync, which checks the admin role and audits; its 401/403 come back unchanged.
 */
@Controller('v1/integrations')
export class IntegrationsProxyController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(UpstreamForwarder) private readonly forwarder: UpstreamForwarder,
  ) {}

  @Get()
  @ApiAnswer('CrmIntegrationList', crmIntegrationListSchema)
  async list(@Res() res: Response): Promise<void> {
    await this.forwarder.relay(res, 'crm-sync', new URL(CRM_SYNC_ROUTES.integrations.path(), this.config.CRM_SYNC_URL), { method: 'GET' });
  }

  @Post(':crm/resume')
  @ApiAnswer('CrmResumeAnswer', crmResumeAnswerSchema)
  async resume(
    @Param('crm', new ZodValidationPipe(crmParam)) crm: z.output<typeof crmParam>,
    @Req() request: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(request);
    await this.forwarder.relay(res, 'crm-sync', new URL(CRM_SYNC_ROUTES.resume.path(crm), this.config.CRM_SYNC_URL), { method: 'POST', authorization });
  }
}
