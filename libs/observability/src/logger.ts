import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly service: string;
  readonly level?: string;
  readonly format?: 'json' | 'pretty';
}

/**
 * Paths whose values never reach a log line. Credentials come from the environment and travel in
 * config objects and HTTP headers, so those are the places redacted.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'sasl',
  '*.sasl',
  'DATABASE_URL',
  '*.DATABASE_URL',
];

/** One JSON logger per process; classes take children with `logger.child({ context: Class.name })`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    ...(options.format === 'pretty' ? { transport: { target: 'pino-pretty', options: PRETTY_LOG_OPTIONS } } : {}),
  });
}

/**
 * pino-pretty's options for a terminal: one line per entry — time, level, service and class, the
 * message, then the other fields as compact JSON (an error's stack still gets its own lines).
 */
export const PRETTY_LOG_OPTIONS = {
  colorize: true,
  translateTime: 'SYS:HH:MM:ss.l',
  singleLine: true,
  ignore: 'pid,hostname,service,context',
  messageFormat: '{service}{if context} {context}{end}: {msg}',
} as const;

/**
 * Turns one JSON log line (a service's stdout) into the readable line `createLogger` prints on a
 * terminal; a line that is not JSON comes back as it is. pino-pretty is a development dependency:
 * without it the line stays JSON.
 */
export function prettyLogLine(): (line: string) => string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { prettyFactory } = require('pino-pretty') as { prettyFactory(options: object): (line: string) => string };
    return prettyFactory(PRETTY_LOG_OPTIONS);
  } catch {
    return (line) => `${line}\n`;
  }
}

/** Removes the password from a connection string so that it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
