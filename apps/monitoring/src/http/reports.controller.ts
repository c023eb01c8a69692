import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { emailAddressList } from '@churn/mailer';
import {
  ApiAnswer,
  ApiFileAnswer,
  type AuthenticatedRequest,
  AuthError,
  JwtAuthGuard,
  RequireRoleOrHigher,
  SERVICE_CONFIG,
  ZodValidationPipe,
} from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { ReportMailService } from '../reports/report-mail.service';
import { reportEmailBodySchema, reportQuerySchema, type ReportLimits } from '../reports/report-request';
import { ReportService } from '../reports/report.service';
import { reportEmailReceiptSchema, type ReportEmailReceipt } from '@churn/contracts';

/**
 * Retention reports for any period [from, to). They list customers (the top at-risk table), so reading
 * one needs the agent role, as every customer-level read of monitoring does. E-mailing one now to the
 * configured REPORT_EMAIL_TO is an agent's operation too (it goes where the scheduled reports go);
 * naming other recipients sends customer data to addresses nobody configured, so that needs an admin.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
@UseGuards(JwtAuthGuard)
export class ReportsController {
  private readonly query: ZodValidationPipe<ReturnType<typeof reportQuerySchema>>;
  private readonly emailBody: ZodValidationPipe<ReturnType<typeof reportEmailBodySchema>>;

  constructor(
    private readonly reports: ReportService,
    private readonly mail: ReportMailService,
    @Inject(SERVICE_CONFIG) config: MonitoringConfig,
  ) {
    const limits: ReportLimits = { maxPeriodDays: config.REPORT_MAX_PERIOD_DAYS, defaultTop: config.REPORT_TOP_CUSTOMERS };
    this.query = new ZodValidationPipe(reportQuerySchema(limits));
    this.emailBody = new ZodValidationPipe(reportEmailBodySchema(limits, emailAddressList));
  }

  @Get()
  @ApiFileAnswer('the report, as an attachment named for its period', 'application/pdf', 'text/csv')
  @RequireRoleOrHigher('agent')
  @ApiOperation({
    summary: 'The retention report of a period [from, to) as a PDF or one CSV file (agent or admin)',
    description:
      'Query: from, to (a date such as 2026-03-01, midnight UTC, or an ISO-8601 time with its zone; to excluded), format (pdf, the default, or csv), top (customers in the at-risk table, 1–500, default REPORT_TOP_CUSTOMERS). The period may be at most REPORT_MAX_PERIOD_DAYS long.',
  })
  @ApiResponse({ status: 400, description: '`VALIDATION_FAILED` (problem+json): `errors` names each bad parameter' })
  @ApiResponse({ status: 401, description: 'no bearer token, or a refused one' })
  @ApiResponse({ status: 403, description: 'the token lacks the agent (or admin) role' })
  async download(@Query() raw: unknown, @Res() res: Response): Promise<void> {
    const q = this.query.transform(raw);
    const rendered = await this.reports.render({ from: q.from, to: q.to }, q.format, q.top);
    res
      .status(200)
      .type(rendered.contentType)
      .setHeader('content-disposition', `attachment; filename="${rendered.filename}"`)
      .setHeader('cache-control', 'no-store')
      .send(rendered.body);
  }

  @Post('email')
  @ApiAnswer('ReportEmailReceipt', reportEmailReceiptSchema)
  @HttpCode(200)
  @RequireRoleOrHigher('agent')
  @ApiOperation({
    summary: 'E-mail the report of a period now, PDF and CSV attached (agent or admin; naming recipients: admin)',
    description:
      'Body: { from, to, recipients? (comma-separated; default REPORT_EMAIL_TO; only an admin may name them), top? }. 503 REPORT_EMAIL_DISABLED without SMTP_URL or recipients, 503 REPORT_EMAIL_DEFERRED when the server asks to try later, 502 when it refuses.',
  })
  @ApiResponse({ status: 403, description: 'the token lacks the agent role, or names recipients without the admin role' })
  async email(@Body() raw: unknown, @Req() request: AuthenticatedRequest): Promise<ReportEmailReceipt> {
    const body = this.emailBody.transform(raw);
    if (body.recipients !== undefined && !request.principal?.roles.includes('admin')) {
      throw new AuthError('FORBIDDEN', 'naming recipients needs the admin role; without them the report goes to REPORT_EMAIL_TO');
    }
    return this.mail.sendReport({ from: body.from, to: body.to }, body.recipients, body.top);
  }
}
