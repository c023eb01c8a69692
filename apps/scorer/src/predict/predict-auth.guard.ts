import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { JwtAuthGuard, SERVICE_CONFIG } from '@churn/service-kit';
import type { ScorerConfig } from '../config';

/** The roles a caller of `POST /v1/predict…` needs when SCORER_PREDICT_AUTH=required: a service token, or an admin's. */
export const PREDICT_ROLES = ['service', 'admin'] as const;

/** With SCORER_PREDICT_AUTH=required the predict endpoints take the platform's bearer check; with `off` they stay open. */
@Injectable()
export class PredictAuthGuard implements CanActivate {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ScorerConfig,
    private readonly jwt: JwtAuthGuard,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    return this.config.SCORER_PREDICT_AUTH === 'required' ? this.jwt.canActivate(context) : true;
  }
}
