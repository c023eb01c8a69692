import { DomainError } from '@churn/service-kit';

/** A session that ended, a state-changing request without its CSRF token, sign-in off, the OpenID provider unreachable. */
export type SessionErrorCode = 'SESSION_ENDED' | 'CSRF_TOKEN_INVALID' | 'SIGN_IN_DISABLED' | 'OIDC_UNAVAILABLE';

export class SessionError extends DomainError<SessionErrorCode> {}
