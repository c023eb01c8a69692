import { SignJWT } from 'jose';
import { PermanentJobError } from '@churn/scheduler';

export interface ScorerAdminOptions {
  readonly scorerUrl: string;
  readonly secret: string;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

/** The scorer refused the activation for good (4xx: another feature spec, an unknown version). */
export class ActivationRefusedError extends PermanentJobError {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super('ACTIVATION_REFUSED', `the scorer refused the activation: ${status} ${body}`);
  }
}

/**
 * The scorer's admin API, called as the promotion gate: a bearer token signed for this one call (admin
 * role, five minutes, the configured issuer/audience), its subject naming the gate and the run, which
 * the scorer records as the actor in the registry (and `model-registry` carries as champion_activated_by) and the audit log.
 */
export class ScorerAdminClient {
  constructor(private readonly options: ScorerAdminOptions) {}

  static actorOf(runId: string): string {
    return `promotion-gate:${runId}`;
  }

  async activate(version: string, runId: string): Promise<void> {
    const jwt = new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(ScorerAdminClient.actorOf(runId))
      .setIssuedAt()
      .setExpirationTime('5m');
    if (this.options.issuer) jwt.setIssuer(this.options.issuer);
    if (this.options.audience) jwt.setAudience(this.options.audience);
    const token = await jwt.sign(new TextEncoder().encode(this.options.secret));
    const response = await fetch(`${this.options.scorerUrl}/v1/models/${encodeURIComponent(version)}/activate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    if (response.ok) return;
    // A 4xx will not change on a retry; a 5xx (the scorer restarting) may: thrown plainly, it is retried.
    if (response.status >= 400 && response.status < 500) throw new ActivationRefusedError(response.status, body.slice(0, 500));
    throw new Error(`the scorer answered ${response.status} to the activation: ${body.slice(0, 500)}`);
  }
}
