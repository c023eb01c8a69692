import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { healthProblem, healthReportSchema, PROBLEM_JSON } from '@churn/contracts';
import type { HealthRegistry, HealthReport, Registry } from '@churn/observability';
import { ApiAnswer, ApiFileAnswer } from '../openapi/api-answer.decorator';
import { HEALTH, METRICS_REGISTRY } from './tokens';

/** `/metrics` for Prometheus, `/health/live` and `/health/ready` for orchestrators. */
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(HEALTH) private readonly health: HealthRegistry,
  ) {}

  @Get('metrics')
  @ApiFileAnswer("the Prometheus text exposition of the process's metrics", 'text/plain')
  async metrics(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.registry.contentType);
    res.send(await this.registry.metrics());
  }

  /** 503 when a part of the process stopped for good (e.g. its Kafka consumer): only a restart helps. */
  @Get('health/live')
  @ApiAnswer('HealthReport', healthReportSchema, { description: 'ok; 503 with a problem naming the failing checks' })
  async live(@Res() res: Response): Promise<void> {
    answer(res, await this.health.liveness(), 'live');
  }

  @Get('health/ready')
  @ApiAnswer('HealthReport', healthReportSchema, { description: 'ok; 503 with a problem naming the failing checks' })
  async ready(@Res() res: Response): Promise<void> {
    answer(res, await this.health.report(), 'ready');
  }
}

function answer(res: Response, report: HealthReport, route: 'live' | 'ready'): void {
  if (report.status === 'ok') return void res.status(HttpStatus.OK).json(report);
  res
    .status(HttpStatus.SERVICE_UNAVAILABLE)
    .type(PROBLEM_JSON)
    .send(JSON.stringify(healthProblem(report, route)));
}
