import { Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Logger } from '@churn/observability';
import { LOGGER } from '@churn/service-kit';
import { IdentifierParamPipe, JwtAuthGuard, RequireRoles, type AuthenticatedRequest } from '@churn/service-kit';
import { ModelRegistryService } from './model-registry.service';

@ApiTags('models')
@Controller('v1/models')
export class ModelsController {
  private readonly logger: Logger;

  constructor(
    private readonly registry: ModelRegistryService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: ModelsController.name });
  }

  @Get()
  @ApiOperation({ summary: 'Registered model versions, their role (champion, shadow, registered) and card summary' })
  async list() {
    const rows = await this.registry.list();
    return {
      models: rows.map((row) => ({
        version: row.version,
        role: row.role,
        serving_on_this_instance: row.serving,
        files_present: row.files_present,
        registered_at: row.registered_at,
        activated_at: row.activated_at,
        activated_by: row.activated_by,
        model_type: row.card['model_type'] ?? null,
        created_at: row.card['created_at'] ?? null,
        holdout_metrics: pick(row.card['holdout_metrics'], ['roc_auc', 'pr_auc', 'brier', 'lift_top_decile', 'ece']),
        // Only known for a version loaded on this instance: the additivity check runs at load.
        explanation: row.explanation,
      })),
    };
  }

  @Post(':version/activate')
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make a version the champion (admin; audited). Every instance swaps within its poll interval.' })
  async activate(@Param('version', new IdentifierParamPipe('version')) version: string, @Req() request: AuthenticatedRequest) {
    return this.assign(version, 'champion', request);
  }

  @Post(':version/shadow')
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Score live traffic with a version in shadow: predictions.shadow and the table, never alerts or CRM (admin; audited)' })
  async shadow(@Param('version', new IdentifierParamPipe('version')) version: string, @Req() request: AuthenticatedRequest) {
    return this.assign(version, 'shadow', request);
  }

  private async assign(version: string, role: 'champion' | 'shadow', request: AuthenticatedRequest) {
    const actor = request.principal!.subject;
    const models = await this.registry.assign(version, role, actor);
    this.logger.info({ version, role, actor }, 'model assigned by admin');
    return { version, role, activated_by: actor, serving: { champion: models.champion.version, shadow: models.shadow?.version ?? null } };
  }
}

function pick(value: unknown, keys: string[]): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null) return null;
  return Object.fromEntries(keys.filter((k) => k in value).map((k) => [k, (value as Record<string, unknown>)[k]]));
}
