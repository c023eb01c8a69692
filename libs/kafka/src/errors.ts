/**
 * A failure that belongs to one message and will not go away by retrying it (a feature the model
 * cannot score, a reference to something that does not exist). The consumer dead-letters the message.
 */
export class PermanentMessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentMessageError';
  }
}

/** Our own code tried to publish a value that breaks the topic's contract. */
export class ContractViolationError extends Error {
  readonly code = 'CONTRACT_VIOLATION';

  constructor(
    readonly topic: string,
    readonly reason: string,
  ) {
    super(`refusing to publish to ${topic}: ${reason}`);
    this.name = 'ContractViolationError';
  }
}

const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Errors of the infrastructure rather than of the message: Postgres connection loss, shutdown,
 * serialization conflicts and deadlocks, resource exhaustion; socket errors; retriable Kafka errors.
 * These are retried in place with back-off and never dead-letter a message.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const err = error as Error & { code?: unknown; retriable?: unknown };
  if (err.retriable === true) return true;
  if (typeof err.code === 'string') {
    if (TRANSIENT_NODE_CODES.has(err.code)) return true;
    // SQLSTATE classes: 08 connection, 53 insufficient resources, 57 operator intervention (e.g. admin shutdown).
    if (/^(08|53|57)/.test(err.code) || err.code === '40001' || err.code === '40P01') return true;
  }
  if (/Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection refused/i.test(err.message)) {
    return true;
  }
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isTransientError(cause);
}
