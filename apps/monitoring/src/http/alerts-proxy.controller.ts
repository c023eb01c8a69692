import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  ApiAnswer,
  type AuthenticatedRequest,
  IdentifierParamPipe,
  JwtAuthGuard,
  RequireRoleOrHigher,
  SERVICE_CONFIG,
  ZodValidationPipe,
} from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { UpstreamForwarder } from './upstream-forwarder';
import { ALERTING_ROUTES, alertDetailSchema, alertViewSchema } from '@churn/contracts';

const alertId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only');
/** Alerting's body of `POST /v1/alerts/{id}/ack`: who acknowledges (default: the token's subject), and an optional note. */
const ackBody = z.object({ by: z.string().trim().min(1).max(200).optional(), note: z.string().max(2000).optional() }).strict();

/**
 * The dashboard's view of one alert and its acknowledge button. Alerting owns the alerts and their
 * life cycle, so monitoring only forwards, with the caller's own bearer token (or, for a signed-in
 * person, one minted for their session: UpstreamForwarder.authorizationOf): `GET /v1/alerts/{id}`
 * (the alert a Slack or e-mail link opens; monitoring checks the token for the agent role first, as
 * for its other customer-level reads, and alerting checks it again) and `POST …/acknowledge` to
 * alerting's `POST /v1/alerts/{id}/ack` (alerting verifies and audits), returning alerting's answers
 * unchanged (through UpstreamForwarder). Monitoring holds no credential of its own and never writes
 * the alerts table.
 */
@Controller('v1/alerts')
export class AlertsProxyController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(UpstreamForwarder) private readonly forwarder: UpstreamForwarder,
  ) {}

  @Get(':id')
  @ApiAnswer('AlertDetail', alertDetailSchema)
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  async get(@Param('id', new IdentifierParamPipe('id')) id: string, @Req() request: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(request);
    await this.forwarder.relay(res, 'alerting', new URL(ALERTING_ROUTES.alert.path(id), this.config.ALERTING_URL), { method: 'GET', authorization });
  }

  @Post(':id/acknowledge')
  @ApiAnswer('AlertView', alertViewSchema)
  // Checked here before the body is, so an anonymous caller hears 401 rather than a validation error.
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  async acknowledge(
    @Param('id', new ZodValidationPipe(alertId)) id: string,
    @Body(new ZodValidationPipe(ackBody)) body: z.output<typeof ackBody>,
    @Req() request: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(request);
    await this.forwarder.relay(res, 'alerting', new URL(ALERTING_ROUTES.acknowledge.path(id), this.config.ALERTING_URL), {
      method: 'POST',
      authorization,
      body,
    });
  }
}
