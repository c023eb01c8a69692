import type { FieldError } from '@churn/contracts';
import { DomainError } from './domain-error';

/** A request (body, query, path parameter) refused by its schema: every offending field, named. */
export class ValidationError extends DomainError<'VALIDATION_FAILED'> {
  constructor(readonly errors: readonly FieldError[]) {
    super('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}
