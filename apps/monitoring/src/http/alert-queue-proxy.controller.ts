import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiAnswer,
  type AuthenticatedRequest,
  IdentifierParamPipe,
  JwtAuthGuard,
  RequireRoleOrHigher,
  SERVICE_CONFIG,
  ZodValidationPipe,
} from '@churn/service-kit';
import { z } from 'zod';
import type { MonitoringConfig } from '../config';
import { UpstreamForwarder } from './upstream-forwarder';
import { ALERTING_ROUTES, alertHistorySchema, alertQueuePageSchema, alertViewSchema, bulkAnswerSchema } from '@churn/contracts';

/**
 * The work queue for the web UI: monitoring checks the caller for the agent role, as for its other
 * customer-level reads, and forwards to alerting with the caller's bearer token (or one minted for a signed-in
 * person's session: UpstreamForwarder.authorizationOf), so alerting sees the same principal (its subject is `me` in `owner=me` and `assignee: "me"`), checks it again,
 * validates the query and bodies (400 naming the field), audits the change, and its answer is
 * relayed unchanged. Alerting owns the alerts; monitoring keeps no copy of the schemas.
 */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/**
 * What monitoring forwards: a flat JSON object (alerting validates each field and names it). A nested
 * or oversized body is refused here with a 400, before it travels: serializing 10,000 nested arrays
 * to forward them would overflow the stack.
 */
const forwardedBody = z.record(z.string().max(100), z.union([scalar, z.array(scalar).max(1_000)]));

@Controller('v1/alerts')
@UseGuards(JwtAuthGuard)
@RequireRoleOrHigher('agent')
export class AlertQueueProxyController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(UpstreamForwarder) private readonly forwarder: UpstreamForwarder,
  ) {}

  @Get()
  @ApiAnswer('AlertQueuePage', alertQueuePageSchema)
  async list(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    const url = this.alerting(ALERTING_ROUTES.queue.path());
    url.search = new URL(req.originalUrl, 'http://monitoring.invalid').search;
    await this.forwarder.relay(res, 'alerting', url, { method: 'GET', authorization });
  }

  @Post('bulk')
  @ApiAnswer('BulkAnswer', bulkAnswerSchema)
  @HttpCode(200)
  async bulk(
    @Body(new ZodValidationPipe(forwardedBody)) body: z.output<typeof forwardedBody>,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    await this.forwarder.relay(res, 'alerting', this.alerting(ALERTING_ROUTES.bulk.path()), { method: 'POST', authorization, body: body ?? {} });
  }

  @Post(':id/assign')
  @ApiAnswer('AlertView', alertViewSchema)
  async assign(
    @Param('id', new IdentifierParamPipe('id')) id: string,
    @Body(new ZodValidationPipe(forwardedBody)) body: z.output<typeof forwardedBody>,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    await this.forwarder.relay(res, 'alerting', this.alerting(ALERTING_ROUTES.assign.path(id)), {
      method: 'POST',
      authorization,
      body: body ?? {},
    });
  }

  @Post(':id/resolve')
  @ApiAnswer('AlertView', alertViewSchema)
  async resolve(
    @Param('id', new IdentifierParamPipe('id')) id: string,
    @Body(new ZodValidationPipe(forwardedBody)) body: z.output<typeof forwardedBody>,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    await this.forwarder.relay(res, 'alerting', this.alerting(ALERTING_ROUTES.resolve.path(id)), {
      method: 'POST',
      authorization,
      body: body ?? {},
    });
  }

  @Get(':id/history')
  @ApiAnswer('AlertHistory', alertHistorySchema)
  async history(@Param('id', new IdentifierParamPipe('id')) id: string, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    await this.forwarder.relay(res, 'alerting', this.alerting(ALERTING_ROUTES.history.path(id)), { method: 'GET', authorization });
  }

  private alerting(path: string): URL {
    return new URL(path, this.config.ALERTING_URL);
  }
}
