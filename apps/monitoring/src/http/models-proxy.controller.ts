import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiAnswer, type AuthenticatedRequest, IdentifierParamPipe, JwtAuthGuard, RequireRoles, SERVICE_CONFIG, ZodValidationPipe } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { UpstreamForwarder } from './upstream-forwarder';
import { modelAssignmentAnswerSchema, modelRegistrySchema, modelRollbackAnswerSchema, modelRolloutAnswerSchema, SCORER_ROUTES } from '@churn/contracts';

/** The scorer's bodies (apps/scorer's rollout.schemas), checked here too so a bad one is named before it travels. */
const rolloutBody = z.object({ share: z.number().min(0).max(1), reason: z.string().trim().min(1).max(500).optional() }).strict();
const rollbackBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

/**
 * The web workspace's models page. The scorer owns the registry and its roles, so monitoring only
 * forwards (UpstreamForwarder): `GET /v1/models` is open like `/v1/dashboard` (versions, roles and
 * holdout figures name no customer); activate, roll out and roll back carry the caller's own bearer
 * token (or one minted for a signed-in admin's session, its CSRF token checked) to the scorer — monitoring
 * checks the caller first (401 before any body is read, 403 for a non-admin) —, which checks the admin role and audits; its 401/403/409/422 come back unchanged.
 */
@Controller('v1/models')
export class ModelsProxyController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(UpstreamForwarder) private readonly forwarder: UpstreamForwarder,
  ) {}

  @Get()
  @ApiAnswer('ModelRegistry', modelRegistrySchema)
  async list(@Res() res: Response): Promise<void> {
    await this.forwarder.relay(res, 'scorer', this.url(SCORER_ROUTES.models.path()), { method: 'GET' });
  }

  @Post('rollout/rollback')
  @ApiAnswer('ModelRollbackAnswer', modelRollbackAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  async rollback(
    @Body(new ZodValidationPipe(rollbackBody)) body: z.output<typeof rollbackBody>,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    await this.forwarder.relay(res, 'scorer', this.url(SCORER_ROUTES.rollback.path()), { method: 'POST', authorization, body });
  }

  @Post(':version/activate')
  @ApiAnswer('ModelAssignmentAnswer', modelAssignmentAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  async activate(@Param('version', new IdentifierParamPipe('version')) version: string, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    await this.forwarder.relay(res, 'scorer', this.url(SCORER_ROUTES.activate.path(version)), { method: 'POST', authorization });
  }

  @Post(':version/rollout')
  @ApiAnswer('ModelRolloutAnswer', modelRolloutAnswerSchema)
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  async rollout(
    @Param('version', new IdentifierParamPipe('version')) version: string,
    @Body(new ZodValidationPipe(rolloutBody)) body: z.output<typeof rolloutBody>,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const authorization = await this.forwarder.authorizationOf(req);
    await this.forwarder.relay(res, 'scorer', this.url(SCORER_ROUTES.rollout.path(version)), { method: 'POST', authorization, body });
  }

  private url(path: string): URL {
    return new URL(path, this.config.SCORER_URL);
  }
}
