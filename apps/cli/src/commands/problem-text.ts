import { problemDetailsSchema } from '@churn/contracts';

/**
 * A service's refusal as one line for the terminal: `monitoring answered 404 CUSTOMER_NOT_FOUND: …`,
 * or each refused field as the option that carries it (`--top: …`) when the problem names fields.
 */
export function problemText(service: string, status: number, answer: unknown, optionOf: (field: string) => string = (field) => field): string {
  const parsed = problemDetailsSchema.safeParse(answer);
  if (!parsed.success) return `${service} answered ${status}`;
  const problem = parsed.data;
  const fields = (problem.errors ?? []).map((f) => `${optionOf(f.field)}: ${f.message}`);
  return fields.length > 0 ? fields.join('; ') : `${service} answered ${status} ${problem.code}: ${problem.detail ?? problem.title}`;
}
