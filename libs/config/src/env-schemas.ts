import { z } from 'zod';

/** Connection string of the embedded Postgres that `churn up` starts when DATABASE_URL is unset. */
export const LOCAL_DATABASE_PORT = 54329;
export const LOCAL_DATABASE_URL = `postgres://churn:churn@127.0.0.1:${LOCAL_DATABASE_PORT}/churn`;
export const LOCAL_KAFKA_BROKERS = '127.0.0.1:9092';

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const brokerList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, { message: 'each broker must be host:port' })).min(1, { message: 'needs at least one host:port' }));

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection string' });

const SASL_KEYS = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;

/**
 * Kafka connection settings shared by every service and tool. SASL/SSL are used when set; a SASL
 * mechanism without its username and password is refused here, so every schema extended from this
 * one (each service's, each CLI command's) refuses it too.
 */
export const kafkaEnvSchema = z
  .object({
    /** Comma-separated host:port list of the Kafka bootstrap brokers. */
    KAFKA_BROKERS: brokerList.default([LOCAL_KAFKA_BROKERS]),
    /** Turns on TLS to the brokers. */
    KAFKA_SSL: booleanString.default(false),
    /** SASL mechanism; unset means no SASL. */
    KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
    /** Prefix of consumer group ids, so that several deployments can share a cluster. */
    KAFKA_GROUP_PREFIX: z.string().default('churn'),
  })
  // Runs even when other variables are bad (so one error lists them all), unless a SASL variable
  // itself is malformed: that issue already names it.
  .superRefine(refineKafkaSasl, { when: (payload) => !payload.issues.some((issue) => SASL_KEYS.includes(issue.path?.[0] as (typeof SASL_KEYS)[number])) });

export const databaseEnvSchema = z.object({
  /** postgres:// connection string; unset means the local embedded Postgres started by `churn up`. */
  DATABASE_URL: postgresUrl.default(LOCAL_DATABASE_URL),
  /** Connections per service instance. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
});

export const loggingEnvSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` for machines (default), `pretty` for a developer's terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

export function httpPortSchema(defaultPort: number) {
  return z.object({
    /** HTTP port of the service's API, metrics and health endpoints (0: any free port, for tests). */
    PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
  });
}

export type KafkaEnv = z.output<typeof kafkaEnvSchema>;
export type DatabaseEnv = z.output<typeof databaseEnvSchema>;
export type LoggingEnv = z.output<typeof loggingEnvSchema>;

/** SASL credentials only make sense together: one issue per missing variable, named as it. */
function refineKafkaSasl(env: Partial<Record<(typeof SASL_KEYS)[number], string>>, ctx: z.RefinementCtx): void {
  if (!env.KAFKA_SASL_MECHANISM) return;
  for (const key of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
    if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required when KAFKA_SASL_MECHANISM is set` });
  }
}

export { booleanString };

/**
 * OUTCOME_LABEL_WINDOW_DAYS, for monitoring (the label-window job) and `churn outcomes close-windows`:
 * how long after the prediction that opens it a customer's label window runs (docs/monitoring.md,
 * "Label windows"). A customer still subscribed when it closes is labelled not churned.
 */
export const outcomeLabelWindowEnvSchema = z.object({
  OUTCOME_LABEL_WINDOW_DAYS: z.coerce.number().positive().max(3650).default(90),
});
