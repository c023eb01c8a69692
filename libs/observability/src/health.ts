/** A readiness check: resolves true when its dependency can serve, false (or throws) when not. */
export type HealthCheck = () => Promise<boolean> | boolean;

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly checks: Record<string, 'ok' | 'failing'>;
}

/**
 * Collects the health checks of a process. Readiness (`report`): every readiness check passes
 * (Kafka consumer joined, Postgres reachable, model loaded, …) — failing means "do not send traffic
 * now", and it recovers by itself. Liveness (`liveness`): the process answers and no part of it has
 * stopped for good (a Kafka consumer that crashed and will not restart) — failing means only a
 * restart of the process helps.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly livenessChecks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  registerLiveness(name: string, check: HealthCheck): void {
    this.livenessChecks.set(name, check);
  }

  report(timeoutMs = 2000): Promise<HealthReport> {
    return runChecks(this.checks, timeoutMs);
  }

  liveness(timeoutMs = 2000): Promise<HealthReport> {
    return runChecks(this.livenessChecks, timeoutMs);
  }
}

async function runChecks(checks: ReadonlyMap<string, HealthCheck>, timeoutMs: number): Promise<HealthReport> {
  const entries = await Promise.all([...checks].map(async ([name, check]) => [name, (await runCheck(check, timeoutMs)) ? 'ok' : 'failing'] as const));
  const status = entries.every(([, state]) => state === 'ok') ? 'ok' : 'unavailable';
  return { status, checks: Object.fromEntries(entries) };
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
