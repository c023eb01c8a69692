import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Database, JobRunRepository } from '@churn/db';
import { JOB_NAMES } from '@churn/scheduler';
import { ApiAnswer, JwtAuthGuard, RequireRoles, ZodValidationPipe } from '@churn/service-kit';
import { jobRunListSchema, type JobRunList } from '@churn/contracts';

const runsQuery = z.object({
  job: z.enum(JOB_NAMES as [string, ...string[]]).optional(),
  status: z.enum(['running', 'succeeded', 'retrying', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * The scheduled jobs' run history (job_runs): every run of every job, wherever it ran (monitoring or
 * `churn jobs worker`). Results can name model versions and figures, not customers: admins and the
 * analysts who read quality may see them.
 */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
@UseGuards(JwtAuthGuard)
@RequireRoles('admin', 'analyst')
export class JobRunsController {
  private readonly runs = new JobRunRepository();

  constructor(private readonly database: Database) {}

  @Get('runs')
  @ApiAnswer('JobRunList', jobRunListSchema, { description: '`?job=` one job, `?status=` one status, `?limit=` at most 500 (default 50)' })
  @ApiOperation({ summary: 'Runs of the scheduled jobs, newest first (admin or analyst): job, run id, attempt, status, worker, times, result, error' })
  @ApiResponse({ status: 401, description: 'no bearer token, or a refused one' })
  @ApiResponse({ status: 403, description: 'the token holds neither admin nor analyst' })
  async list(@Query(new ZodValidationPipe(runsQuery)) query: z.output<typeof runsQuery>): Promise<JobRunList> {
    const runs = await this.runs.list(this.database, query);
    return {
      runs: runs.map((r) => ({
        ...r,
        scheduled_at: r.scheduled_at.toISOString(),
        started_at: r.started_at.toISOString(),
        finished_at: r.finished_at?.toISOString() ?? null,
        duration_seconds: r.finished_at ? (r.finished_at.getTime() - r.started_at.getTime()) / 1000 : null,
      })),
    };
  }
}
