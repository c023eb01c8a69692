import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Validates a request part (body, query, params) against a schema and answers 400 naming every
 * offending field, e.g. `{ "error": "validation_failed", "fields": [{ "field": "tenure", "message": "…" }] }`.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const fields = result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(body)',
      message: issue.message,
    }));
    throw new BadRequestException({
      statusCode: 400,
      error: 'validation_failed',
      message: fields.map((f) => `${f.field}: ${f.message}`).join('; '),
      fields,
    });
  }
}
