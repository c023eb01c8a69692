import type { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

/**
 * An identifier in a URL path (customer id, model version, alert id): 1–200 characters, no control
 * characters. Without it a NUL byte (`%00`) reaches Postgres, which refuses it as invalid UTF-8, and
 * the route answers 500 instead of 400.
 */
export const identifierSchema = z
  .string()
  .min(1)
  .max(200)
  // Control characters are what this rule is about.
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'must not contain control characters' });

/** `@Param('id', new IdentifierParamPipe('id'))`: 400 naming the parameter, as for bodies and queries. */
export class IdentifierParamPipe implements PipeTransform<unknown, string> {
  private readonly pipe: ZodValidationPipe<z.ZodObject<Record<string, typeof identifierSchema>>>;

  constructor(private readonly name: string) {
    this.pipe = new ZodValidationPipe(z.object({ [name]: identifierSchema }));
  }

  transform(value: unknown): string {
    return this.pipe.transform({ [this.name]: value })[this.name]!;
  }
}
