/** What this library refuses: options it cannot honour, a table it cannot build. */
export type SaasReplayErrorCode = 'SAAS_OPTIONS_INVALID' | 'POINT_IN_TIME_TABLE_INVALID';

export class SaasReplayError extends Error {
  constructor(
    readonly code: SaasReplayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SaasReplayError';
  }
}
