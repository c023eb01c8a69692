import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, type AuthenticatedRequest, IdentifierParamPipe, JwtAuthGuard, RequireRoleOrHigher, ZodValidationPipe } from '@churn/service-kit';
import { assignBodySchema, bulkBodySchema, queueQuerySchema, type AssignBody, type BulkBody, type QueueQuery } from './queue.schemas';
import { QueueService } from './queue.service';
import {
  alertHistorySchema,
  alertQueuePageSchema,
  alertViewSchema,
  bulkAnswerSchema,
  type AlertHistory,
  type AlertQueuePage,
  type AlertView,
  type BulkAnswer,
} from '@churn/contracts';

/** The work queue (role agent or admin): list, assign, bulk acknowledge/resolve, history. */
@ApiTags('alerts')
@Controller('v1/alerts')
@UseGuards(JwtAuthGuard)
@RequireRoleOrHigher('agent')
@ApiBearerAuth()
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  @Get()
  @ApiAnswer('AlertQueuePage', alertQueuePageSchema)
  @ApiOperation({
    summary:
      'Alerts with filters level, state (comma-separated), owner (me | none | a name), overdue, customer_id, since; sorted by sort (due_at, level, created_at; - for descending; default due_at); page and page_size (1–500) with the total',
  })
  list(@Query(new ZodValidationPipe(queueQuerySchema)) query: QueueQuery, @Req() request: AuthenticatedRequest): Promise<AlertQueuePage> {
    return this.queue.list(query, request.principal!);
  }

  @Post('bulk')
  @ApiAnswer('BulkAnswer', bulkAnswerSchema)
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge or resolve up to 500 alerts with one note; each alert in its own transaction, with a result per alert (audited)' })
  bulk(@Body(new ZodValidationPipe(bulkBodySchema)) body: BulkBody, @Req() request: AuthenticatedRequest): Promise<BulkAnswer> {
    return this.queue.bulk(body, request.principal!);
  }

  @Post(':id/assign')
  @ApiAnswer('AlertView', alertViewSchema)
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign an alert to a person (`me`: the caller) or unassign it (null); 409 if resolved (audited)' })
  assign(
    @Param('id', new IdentifierParamPipe('id')) id: string,
    @Body(new ZodValidationPipe(assignBodySchema)) body: AssignBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<AlertView> {
    return this.queue.assign(id, body, request.principal!);
  }

  @Get(':id/history')
  @ApiAnswer('AlertHistory', alertHistorySchema)
  @ApiOperation({ summary: 'What was done to an alert, oldest first: raised, assigned, acknowledged, resolved, expired (who, when, note)' })
  history(@Param('id', new IdentifierParamPipe('id')) id: string): Promise<AlertHistory> {
    return this.queue.history(id);
  }
}
