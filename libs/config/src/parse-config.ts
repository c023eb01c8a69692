import type { z } from 'zod';
import { ConfigError } from './config.error';

/**
 * Parses an environment (normally `process.env`) against a schema once, at start. Every bad
 * variable is reported in the same error, named as the variable, so an operator fixes them in one go.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.') || '(environment)';
      return `${name}: ${issue.message}`;
    }),
  );
}
