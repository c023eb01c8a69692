import { DomainError } from '@churn/service-kit';

/** A model assignment refused: unknown version, the champion itself, unloadable files, another spec, no rollout to end. */
export type ModelRegistryErrorCode = 'MODEL_NOT_FOUND' | 'MODEL_IS_CHAMPION' | 'MODEL_NOT_LOADABLE' | 'NOT_UNDER_ROLLOUT' | 'SPEC_MISMATCH';

export class ModelRegistryError extends DomainError<ModelRegistryErrorCode> {}
