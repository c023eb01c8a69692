import { Controller, Get, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { getOrCreateHistogram, type Logger, type Registry } from '@churn/observability';
import { ApiAnswer, type AuthenticatedRequest, IdentifierParamPipe, JwtAuthGuard, LOGGER, METRICS_REGISTRY, RequireRoleOrHigher } from '@churn/service-kit';
import { CUSTOMER_ALERT_FILTERS, CUSTOMER_PAGE_SIZE_MAX, parseCustomerListQuery } from '../customers/customer-list-query';
import { CustomerReadModel } from '../customers/customer-read-model.service';
import { CustomersService } from '../customers/customers.service';
import { customerFilterOptionsSchema, customerListPageSchema, customerPageSchema, type CustomerFilterOptions, type CustomerPage } from '@churn/contracts';

/**
 * The retention team's customers: the list (search, filters, sort, pages, CSV of the whole filter) and a
 * customer's page, from monitoring's customer read model. They name customers: agents and admins only.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
@UseGuards(JwtAuthGuard)
@RequireRoleOrHigher('agent')
export class CustomersController {
  private readonly duration;
  private readonly logger: Logger;

  constructor(
    private readonly customers: CustomersService,
    private readonly readModel: CustomerReadModel,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.duration = getOrCreateHistogram(registry, {
      name: 'monitoring_customers_request_duration_seconds',
      help: 'Time to answer the customer API, by route (list, csv, filters, detail) and outcome (ok, client_error, error).',
      labelNames: ['route', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.logger = logger.child({ context: CustomersController.name });
  }

  @Get()
  @ApiOperation({
    summary: 'Scored customers: search, filters, sort, server-side pages; CSV of the whole filter with format=csv or Accept: text/csv (agent or admin)',
    description: `q: a customer id prefix or a substring of a text (categorical) attribute, case-insensitive. risk_level, alert_state (${CUSTOMER_ALERT_FILTERS.join(', ')}; none = never alerted) and arm take comma-separated values; score_min/score_max 0–100; attr.<name>=<value>[,<value>] for any attribute of the active feature spec (numbers, true/false or the spec's spelling, a category). sort: score, score_change, revenue_at_risk, descending with a leading '-' (default -score); ties by customer_id. page from 1, page_size up to ${CUSTOMER_PAGE_SIZE_MAX} (default 50).`,
  })
  @ApiQuery({ name: 'q', required: false })
  @ApiProduces('application/json', 'text/csv')
  @ApiAnswer('CustomerListPage', customerListPageSchema, {
    description: 'a page of customers (matches are counted up to 10,000), or the CSV (header: the fields, then attr.<name> per attribute)',
  })
  @ApiResponse({
    status: 400,
    description:
      '`VALIDATION_FAILED` (problem+json): `errors` names every malformed or unknown parameter (an attribute the active spec does not have, a value of the wrong type or category)',
  })
  @ApiResponse({ status: 401, description: 'no bearer token, or a refused one' })
  @ApiResponse({ status: 403, description: 'the token lacks the agent role' })
  async list(@Query() query: Record<string, unknown>, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    const csv = query['format'] === 'csv' || (query['format'] === undefined && request.accepts(['application/json', 'text/csv']) === 'text/csv');
    const stop = this.duration.startTimer({ route: csv ? 'csv' : 'list' });
    let parsed;
    try {
      parsed = parseCustomerListQuery(query, this.readModel.spec);
    } catch (error) {
      stop({ outcome: 'client_error' });
      throw error;
    }
    if (!csv) {
      try {
        const page = await this.customers.list(parsed);
        stop({ outcome: 'ok' });
        return page;
      } catch (error) {
        stop({ outcome: 'error' });
        throw error;
      }
    }
    return this.streamCsv(parsed, request, response, stop);
  }

  // Declared before ':id', which would otherwise take "filters" for a customer id.
  @Get('filters')
  @ApiAnswer('CustomerFilterOptions', customerFilterOptionsSchema)
  @ApiOperation({
    summary:
      "What the customer list filters and sorts by (agent or admin): the active feature spec's attributes (name, type, a closed categorical's categories), risk levels, alert states, the experiment arms customers carry, sort keys",
  })
  @ApiResponse({ status: 401, description: 'no bearer token, or a refused one' })
  @ApiResponse({ status: 403, description: 'the token lacks the agent role' })
  async filters(@Req() request: AuthenticatedRequest): Promise<CustomerFilterOptions> {
    const stop = this.duration.startTimer({ route: 'filters' });
    try {
      const filters = await this.customers.filters();
      const seconds = stop({ outcome: 'ok' });
      this.logger.debug(
        { by: request.principal?.subject, attributes: filters.attributes.length, arms: filters.arms.length, seconds },
        'customer list filters read',
      );
      return filters;
    } catch (error) {
      stop({ outcome: 'error' });
      this.logger.warn({ err: error, by: request.principal?.subject }, 'customer list filters failed');
      throw error;
    }
  }

  @Get(':id')
  @ApiAnswer('CustomerPage', customerPageSchema)
  @ApiOperation({
    summary:
      "A customer's page (agent or admin): current prediction and drivers, score history with model versions, features with the population's distribution, timeline, recommended action, experiment arm",
  })
  @ApiResponse({ status: 404, description: '`CUSTOMER_NOT_FOUND`: monitoring has no record of the customer' })
  async detail(@Param('id', new IdentifierParamPipe('id')) customerId: string): Promise<CustomerPage> {
    const stop = this.duration.startTimer({ route: 'detail' });
    try {
      const page = await this.customers.detail(customerId);
      stop({ outcome: 'ok' });
      return page;
    } catch (error) {
      stop({ outcome: (error as { status?: number }).status === 404 ? 'client_error' : 'error' });
      throw error;
    }
  }

  /**
   * Streams the whole filter as CSV. Once the first chunk is out the status is sent: a failure after
   * that ends the connection (the client sees a cut-off file, not a wrong one) and is logged.
   */
  private async streamCsv(
    parsed: ReturnType<typeof parseCustomerListQuery>,
    request: AuthenticatedRequest,
    response: Response,
    stop: (labels: { outcome: string }) => number,
  ): Promise<void> {
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="customers.csv"');
    const write = (chunk: string) =>
      new Promise<void>((resolve, reject) => {
        if (response.destroyed || request.destroyed) return reject(new Error('the client closed the connection'));
        if (response.write(chunk)) return resolve();
        const onDrain = () => {
          response.off('close', onClose);
          resolve();
        };
        const onClose = () => {
          response.off('drain', onDrain);
          reject(new Error('the client closed the connection'));
        };
        response.once('drain', onDrain);
        response.once('close', onClose);
      });
    try {
      const rows = await this.customers.exportCsv(parsed, write);
      response.end();
      const seconds = stop({ outcome: 'ok' });
      this.logger.info({ rows, seconds, by: request.principal?.subject, filter: parsed.filter, sort: parsed.sort }, 'customer list exported as CSV');
    } catch (error) {
      stop({ outcome: 'error' });
      this.logger.warn({ err: error, by: request.principal?.subject }, 'customer CSV export ended early');
      if (!response.headersSent) throw error;
      response.destroy();
    }
  }
}
