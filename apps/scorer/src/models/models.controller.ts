import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Logger } from '@churn/observability';
import { ApiAnswer, LOGGER } from '@churn/service-kit';
import { IdentifierParamPipe, JwtAuthGuard, RequireRoles, ZodValidationPipe, type AuthenticatedRequest } from '@churn/service-kit';
import { rollbackRequestSchema, rolloutRequestSchema, type RollbackRequest, type RolloutRequest } from './rollout.schemas';
import { ModelRegistryService, type ActiveModels } from './model-registry.service';
import { HOLDOUT_FIGURES, modelAssignmentAnswerSchema, modelRegistrySchema, modelRollbackAnswerSchema, modelRolloutAnswerSchema, type ModelAssignmentAnswer, type ModelRegistry, type ModelRollbackAnswer, type RegisteredModel } from '@churn/contracts';

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
  @ApiAnswer('ModelRegistry', modelRegistrySchema)
  @ApiOperation({ summary: 'Registered model versions, their role (champion, shadow, rollout, registered), the rollout and its share, and card summary' })
  async list(): Promise<ModelRegistry> {
    const rows = await this.registry.list();
    const rollout = rows.find((row) => row.role === 'rollout');
    const champion = rows.find((row) => row.role === 'champion');
    return {
      // Who serves live customers: the rollout's version those whose customer hash falls below its share, the champion the others.
      rollout: rollout
        ? { version: rollout.version, share: rollout.rollout_share, champion: champion?.version ?? null, since: rollout.activated_at?.toISOString() ?? null, by: rollout.activated_by }
        : null,
      models: rows.map((row) => ({
        version: row.version,
        role: row.role,
        rollout_share: row.rollout_share,
        serving_on_this_instance: row.serving,
        files_present: row.files_present,
        registered_at: row.registered_at.toISOString(),
        activated_at: row.activated_at?.toISOString() ?? null,
        activated_by: row.activated_by,
        model_type: textOrNull(row.card['model_type']),
        created_at: textOrNull(row.card['created_at']),
        holdout_metrics: holdoutFigures(row.card['holdout_metrics']),
        // Only known for a version loaded on this instance: the additivity check runs at load.
        explanation: row.explanation,
      })),
    };
  }

  @Post(':version/activate')
  @ApiAnswer('ModelAssignmentAnswer', modelAssignmentAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make a version the champion (admin; audited). Every instance swaps within its poll interval.' })
  async activate(@Param('version', new IdentifierParamPipe('version')) version: string, @Req() request: AuthenticatedRequest): Promise<ModelAssignmentAnswer> {
    return this.assign(version, 'champion', request);
  }

  @Post(':version/shadow')
  @ApiAnswer('ModelAssignmentAnswer', modelAssignmentAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Score live traffic with a version in shadow: predictions.shadow and the table, never alerts or CRM (admin; audited)' })
  async shadow(@Param('version', new IdentifierParamPipe('version')) version: string, @Req() request: AuthenticatedRequest): Promise<ModelAssignmentAnswer> {
    return this.assign(version, 'shadow', request);
  }

  @Post('rollout/rollback')
  @ApiAnswer('ModelRollbackAnswer', modelRollbackAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the rollout in one call: the champion serves every customer (admin; audited with who and why). Every instance follows within its poll interval.' })
  async rollback(@Body(new ZodValidationPipe(rollbackRequestSchema)) body: RollbackRequest, @Req() request: AuthenticatedRequest): Promise<ModelRollbackAnswer> {
    const actor = request.principal!.subject;
    const ended = await this.registry.rollback(actor, body.reason);
    this.logger.info({ actor, reason: body.reason, rolled_back: ended }, 'rollout rollback by admin');
    return { rolled_back: ended, rolled_back_by: actor, serving: serving(this.registry.current()) };
  }

  @Post(':version/rollout')
  @ApiAnswer('ModelRolloutAnswer', modelRolloutAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Serve a share (0-1) of live customers with a version, by customer hash, on the predictions topic (admin; audited). 0 rolls it back, 1 makes it champion.',
  })
  async rollout(
    @Param('version', new IdentifierParamPipe('version')) version: string,
    @Body(new ZodValidationPipe(rolloutRequestSchema)) body: RolloutRequest,
    @Req() request: AuthenticatedRequest,
  ) {
    const actor = request.principal!.subject;
    const models = await this.registry.rollout(version, body.share, actor, body.reason);
    this.logger.info({ version, share: body.share, actor }, 'model rollout set by admin');
    return { version, share: body.share, activated_by: actor, serving: serving(models) };
  }

  private async assign(version: string, role: 'champion' | 'shadow', request: AuthenticatedRequest) {
    const actor = request.principal!.subject;
    const models = await this.registry.assign(version, role, actor);
    this.logger.info({ version, role, actor }, 'model assigned by admin');
    return { version, role, activated_by: actor, serving: serving(models) };
  }
}

function serving(models: ActiveModels) {
  return {
    champion: models.champion.version,
    shadow: models.shadow?.version ?? null,
    rollout: models.rollout ? { version: models.rollout.model.version, share: models.rollout.share } : null,
  };
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The card's holdout figures the registry shows (a number each; a card written otherwise shows none of that figure). */
function holdoutFigures(value: unknown): RegisteredModel['holdout_metrics'] {
  if (typeof value !== 'object' || value === null) return null;
  const figures = value as Record<string, unknown>;
  return Object.fromEntries(HOLDOUT_FIGURES.flatMap((k) => (typeof figures[k] === 'number' ? [[k, figures[k]]] : [])));
}
