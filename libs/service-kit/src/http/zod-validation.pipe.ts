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
    // `@Param('crm', pipe)` validates the bare value: the field is the parameter's name.
    const fieldOf = (path: readonly PropertyKey[]) =>
      [metadata?.data, ...path.map(String)].filter((part) => part !== undefined).join('.') || `(${metadata?.type ?? 'body'})`;
    throw new ValidationError(
      result.error.issues.flatMap((issue) =>
        // A strict object's unknown keys are one issue at the object; each key is a field of its own.
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), message: 'unknown parameter' }))
          : [{ field: fieldOf(issue.path), message: issue.message }],
      ),
    );
  }
}
