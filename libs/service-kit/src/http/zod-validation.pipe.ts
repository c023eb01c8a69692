import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ValidationError } from '../errors/validation-error';

/**
 * Validates a request part (body, query, params) against a schema; a refusal is a ValidationError
 * naming every offending field, answered 400 with `errors: [{ field, message }]`.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, metadata?: ArgumentMetadata): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new ValidationError(
      result.error.issues.map((issue) => ({
        // `@Param('crm', pipe)` validates the bare value: the field is the parameter's name.
        field: [metadata?.data, ...issue.path.map(String)].filter((part) => part !== undefined).join('.') || '(body)',
        message: issue.message,
      })),
    );
  }
}
