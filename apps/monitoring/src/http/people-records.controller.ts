import { applyDecorators, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { recordsAnswerSchema, type RecordsAnswer } from '@churn/contracts';
import { ApiAnswer, JwtAuthGuard, RequireRoleOrHigher, type AuthenticatedRequest } from '@churn/service-kit';
import { INTERVENTION_KIND, OUTCOME_KIND, type RecordKind } from '../recorded/record-kinds';
import { PeopleRecordsService, type RecordsBody } from '../recorded/people-records.service';

function columnsText(kind: RecordKind<unknown>): string {
  return kind.columns.map((c) => `${c.name}${c.required ? '' : '?'}`).join(', ');
}

const RECORD_RESPONSES = applyDecorators(
  ApiAnswer('RecordsAnswer', recordsAnswerSchema, {
    description: 'every row stored now or already stored (sending the same upload again records nothing new)',
  }),
  ApiResponse({ status: 400, description: 'the body cannot be read as records (CSV quoting, no rows, JSON that is not one object)' }),
  ApiResponse({ status: 401, description: 'no bearer token, or a refused one' }),
  ApiResponse({ status: 403, description: 'the token lacks the agent (or admin) role' }),
  ApiResponse({ status: 413, description: 'the body is larger than MONITORING_IMPORT_MAX_BYTES' }),
  ApiResponse({ status: 415, description: 'neither application/json nor text/csv' }),
  ApiResponse({
    status: 422,
    description: '`RECORDS_REFUSED`: `problems` lists every bad row with its `line` (CSV; null for JSON), `field`, `code` and `message`; nothing was stored',
  }),
);

/**
 * What people report: outcomes they observed and interventions they performed, one JSON record or a
 * CSV file of many. They name customers and change ROI, so agents (and admins) only.
 */
@ApiTags('records')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(JwtAuthGuard)
@RequireRoleOrHigher('agent')
export class PeopleRecordsController {
  constructor(private readonly records: PeopleRecordsService) {}

  @Post('outcomes')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record observed outcomes (agent or admin): one JSON outcome, or a CSV with a header row; all rows or none',
    description: `Fields / CSV columns (? = optional): ${columnsText(OUTCOME_KIND)}. The same rule as the \`outcomes\` topic: one outcome per customer and observed_at; a repeat is counted in already_present. Refused: a customer monitoring has no prediction for, observed_at later than now, a negative intervention_cost, the same customer and observed_at twice in the file, a missing or malformed field.`,
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ schema: { type: 'object', required: ['customer_id', 'churned', 'observed_at'] } })
  @RECORD_RESPONSES
  async outcomes(@Req() request: AuthenticatedRequest): Promise<RecordsAnswer> {
    return this.records.recordOutcomes(bodyOf(request), actorOf(request));
  }

  @Post('interventions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record interventions performed on customers (agent or admin): one JSON record, or a CSV with a header row; all rows or none',
    description: `Fields / CSV columns (? = optional): ${columnsText(INTERVENTION_KIND)}. cost is ≥ 0 in the ROI's currency. Stored once per source_key, or, without one, per customer, performed_at, action and performed_by. Refused: an unknown customer, performed_at later than now, a negative cost, the same intervention twice in the file, a missing or malformed field.`,
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ schema: { type: 'object', required: ['customer_id', 'performed_by', 'performed_at', 'action', 'cost'] } })
  @RECORD_RESPONSES
  async interventions(@Req() request: AuthenticatedRequest): Promise<RecordsAnswer> {
    return this.records.recordInterventions(bodyOf(request), actorOf(request));
  }
}

function bodyOf(request: AuthenticatedRequest): RecordsBody {
  if (request.is('text/csv')) return { format: 'csv', text: typeof request.body === 'string' ? request.body : '' };
  if (request.is('application/json')) return { format: 'json', record: request.body };
  return { format: 'unsupported', contentType: request.headers['content-type'] ?? '(none)' };
}

function actorOf(request: AuthenticatedRequest): string {
  return request.principal?.subject ?? 'unknown';
}
