import type { SandboxOutbox } from '@churn/contracts';
import { ApiError, fetchWithToken } from './api';

/** The integration sandbox's outbox as monitoring forwards it (`GET /v1/sandbox/outbox`); shapes in @churn/contracts. */
export type { SandboxCrmWrite, SandboxEmail, SandboxOutbox, SandboxSlackMessage } from '@churn/contracts';

/**
 * undefined: no sandbox behind this monitoring (404), i.e. the integrations talk to real services.
 * What the stand-ins received names customers: the read carries the user's token (role agent or admin).
 */
export async function fetchSandboxOutbox(token: string, limit = 100): Promise<SandboxOutbox | undefined> {
  try {
    return await fetchWithToken<SandboxOutbox>(`v1/sandbox/outbox?limit=${limit}`, token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}
