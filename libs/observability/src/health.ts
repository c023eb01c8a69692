/** A readiness check: resolves true when its dependency can serve, false (or throws) when not. */
export type HealthCheck = () => Promise<boolean> | boolean;

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly checks: Record<string, 'ok' | 'failing'>;
}

/**
 * Collects the readiness checks of a process (Kafka consumer joined, Postgres reachable, model
 * loaded, …). Liveness is the process answering at all; readiness is every check passing.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(timeoutMs = 2000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, (await runCheck(check, timeoutMs)) ? 'ok' : 'failing'] as const),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, state]) => state === 'ok') ? 'ok' : 'unavailable';
    return { status, checks };
  }
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([Promise.resolve(check()), timeout]);
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
