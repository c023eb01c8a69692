import { HttpStatus } from '@nestjs/common';
import type { ErrorStatuses } from '@churn/service-kit';
import type { ModelRegistryErrorCode } from './models/model-registry-error';

/** The scorer's error codes and their HTTP statuses (docs/http-errors.md). */
export const SCORER_ERROR_STATUSES: ErrorStatuses<ModelRegistryErrorCode> = {
  MODEL_NOT_FOUND: HttpStatus.NOT_FOUND,
  MODEL_IS_CHAMPION: HttpStatus.CONFLICT,
  MODEL_NOT_LOADABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  NOT_UNDER_ROLLOUT: HttpStatus.CONFLICT,
  SPEC_MISMATCH: HttpStatus.CONFLICT,
};
