import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  type AuthenticatedRequest,
  IdentifierParamPipe,
  JwtAuthGuard,
  RequireRoleOrHigher,
  RequireRoles,
  ZodValidationPipe,
} from '@churn/service-kit';
import type { NotificationChannel } from '@churn/alerting-data';
import { NotificationRepository } from '@churn/alerting-data';
import { Database } from '@churn/db';
import { NotificationDispatcher } from '../delivery/notification.dispatcher';
import { AlertRulesService } from '../rules/alert-rules.service';
import { SlaService } from '../sla/sla.service';
import { alertActionBodySchema, channelParamSchema, slaQuerySchema, type AlertActionBody } from './alerts.schemas';
import { AlertsService } from './alerts.service';
import {
  alertDetailSchema,
  alertRulesAnswerSchema,
  alertViewSchema,
  destinationsAnswerSchema,
  emailDigestAnswerSchema,
  reviveAnswerSchema,
  slaAnswerSchema,
  type AlertDetail,
  type AlertRulesAnswer,
  type AlertView,
  type DestinationsAnswer,
  type EmailDigestAnswer,
  type ReviveAnswer,
  type SlaAnswer,
} from '@churn/contracts';

const DAY_MS = 86_400_000;

@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  private readonly notifications = new NotificationRepository();

  constructor(
    private readonly alerts: AlertsService,
    private readonly rules: AlertRulesService,
    private readonly sla: SlaService,
    private readonly dispatcher: NotificationDispatcher,
    private readonly database: Database,
  ) {}

  @Get('rules')
  @ApiAnswer('AlertRulesAnswer', alertRulesAnswerSchema)
  @ApiOperation({ summary: 'The alert rules in effect and where they came from' })
  currentRules(): AlertRulesAnswer {
    return this.rules.describe();
  }

  @Get('sla')
  @ApiAnswer('SlaAnswer', slaAnswerSchema)
  @ApiOperation({ summary: 'Time to acknowledge by level against its target; pending and breaching counts (default window: 30 days)' })
  slaFigures(@Query(new ZodValidationPipe(slaQuerySchema)) query: { since?: string }): Promise<SlaAnswer> {
    return this.sla.summary(query.since ? new Date(query.since) : new Date(Date.now() - 30 * DAY_MS));
  }

  @Get('destinations')
  @ApiAnswer('DestinationsAnswer', destinationsAnswerSchema)
  @ApiOperation({ summary: 'Notification destinations (Slack, e-mail): up or dead, and why' })
  async destinations(): Promise<DestinationsAnswer> {
    const rows = await this.notifications.destinations(this.database);
    return {
      destinations: rows.map(({ channel, status, dead_reason, dead_since }) => ({
        channel,
        status,
        dead_reason,
        dead_since: dead_since?.toISOString() ?? null,
      })),
    };
  }

  @Post('destinations/:channel/revive')
  @ApiAnswer('ReviveAnswer', reviveAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Bring a dead destination back (admin) and retry its parked notifications now' })
  async revive(@Param('channel', new ZodValidationPipe(channelParamSchema)) channel: NotificationChannel): Promise<ReviveAnswer> {
    return { channel, status: 'up', unparked: await this.dispatcher.reviveDestination(channel) };
  }

  @Post('digests/email')
  @ApiAnswer('EmailDigestAnswer', emailDigestAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Create today's e-mail digest now instead of at ALERT_EMAIL_DIGEST_HOUR_UTC (admin); still at most one per day" })
  digest(): Promise<EmailDigestAnswer> {
    return this.dispatcher.createEmailDigest();
  }

  @Get(':id')
  @ApiAnswer('AlertDetail', alertDetailSchema)
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One alert with its notifications (role agent or admin)' })
  get(@Param('id', new IdentifierParamPipe('id')) id: string): Promise<AlertDetail> {
    return this.alerts.get(id);
  }

  @Post(':id/ack')
  @ApiAnswer('AlertView', alertViewSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Acknowledge a pending alert with an optional note; `by` names the person, default the token’s subject (role agent or admin; audited)',
  })
  acknowledge(
    @Param('id', new IdentifierParamPipe('id')) id: string,
    @Body(new ZodValidationPipe(alertActionBodySchema)) body: AlertActionBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<AlertView> {
    return this.alerts.acknowledge(id, body, request.principal!);
  }

  @Post(':id/resolve')
  @ApiAnswer('AlertView', alertViewSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoleOrHigher('agent')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Resolve a pending, acknowledged or expired alert with an optional note; `by` names the person, default the token’s subject (role agent or admin; audited)',
  })
  resolve(
    @Param('id', new IdentifierParamPipe('id')) id: string,
    @Body(new ZodValidationPipe(alertActionBodySchema)) body: AlertActionBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<AlertView> {
    return this.alerts.resolve(id, body, request.principal!);
  }
}
