import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { PROBLEM_JSON, problemDetails, sessionAnswerSchema } from '@churn/contracts';
import { Database } from '@churn/db';
import { MonitoringSessionsRepository } from '@churn/monitoring-data';
import type { Logger } from '@churn/observability';
import { ApiAnswer, LOGGER, ZodValidationPipe } from '@churn/service-kit';
import { OpenIdClient } from './openid-client';
import { DEFAULT_RETURN_TO, sameOriginPath } from './return-to';
import { parseRoleMap, rolesOf, type RoleMap } from './role-map';
import { cookieOf, sessionCookieOptions, signedOutCookieName, signInCookieName } from './session-cookie';
import { SessionService } from './session.service';
import { signInProblemPage } from './sign-in-page';

type SignInRefusal = 'provider_error' | 'invalid_state' | 'failed' | 'no_role';

/** The problem code of each way a callback can end without a session (docs/http-errors.md). */
const SIGN_IN_REFUSAL_CODES: Readonly<Record<SignInRefusal, string>> = {
  invalid_state: 'SIGN_IN_NOT_RECOGNISED',
  provider_error: 'SIGN_IN_REFUSED',
  failed: 'SIGN_IN_FAILED',
  no_role: 'NO_ROLE',
};

/** How long a sign-in may take between the redirect to the provider and its callback. */
const SIGN_IN_SECONDS = 600;

const loginQuery = z.object({
  return_to: z
    .string()
    .optional()
    .refine((v) => v === undefined || sameOriginPath(v) !== null, { message: 'must be a path on this site, starting with a single /' }),
  /** `login`: the provider asks for credentials even if it still has a session of its own (another person signing in). */
  prompt: z.enum(['login'], { message: 'must be login (the only prompt this sign-in asks the provider for)' }).optional(),
});
const callbackQuery = z.object({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

/**
 * Signing people in with the company's OpenID provider (authorization code + PKCE), and out:
 * `GET /auth/login?return_to=&prompt=login` redirects to the provider, `GET /auth/callback` turns its
 * answer into a session cookie and returns to the page, `POST /auth/logout` ends the session (and
 * makes this browser's next sign-in ask the provider for credentials), `GET /v1/session` says who is
 * signed in (and whether sign-in is on at all: the dashboard asks for a bearer token when it is not).
 * The sign-in under way is kept in Postgres by its state and bound to the browser by a cookie holding
 * the same state, so a callback URL sent to someone else signs nobody in.
 */
@Controller()
export class SignInController {
  private readonly logger: Logger;
  private readonly client: OpenIdClient | null;
  private readonly roleMap: RoleMap | null;
  private readonly repository = new MonitoringSessionsRepository();

  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(Database) private readonly database: Database,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: SignInController.name });
    const settings = sessions.settings;
    this.client = settings ? new OpenIdClient(settings) : null;
    this.roleMap = settings ? parseRoleMap(settings.roleMap) : null;
  }

  @Get('auth/login')
  @ApiExcludeEndpoint()
  async login(@Query(new ZodValidationPipe(loginQuery)) query: z.output<typeof loginQuery>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const settings = this.sessions.requireSettings();
    // After a sign-out the provider usually still has its own session of that person, and would sign
    // them in again without a form; prompt=login makes it ask (OpenID Connect Core 1.0 §3.1.2.1). When
    // another person signs in, oidc-provider ends its session of the previous one itself (its
    // lib/actions/authorization/resume.js; panva/node-oidc-provider#527: "only one end-user in its
    // session … cleanup logouts whenever the principal changes"). RP-initiated logout at the provider's
    // end_session_endpoint is not used: at a company provider it would end the person's single sign-on
    // for every other application too.
    const afterSignOut = cookieOf(req, signedOutCookieName(settings.cookieName)) !== undefined;
    const prompt = query.prompt ?? (afterSignOut ? 'login' : undefined);
    const request = await this.client!.authorizationRequest(prompt ? { prompt } : {}).catch((error: unknown) => {
      this.sessions.metrics.signIns.inc({ result: 'provider_unreachable' });
      this.logger.warn({ err_message: (error as Error).message }, 'the OpenID provider could not be reached');
      throw error;
    });
    await this.repository.savePendingSignIn(this.database, {
      state: request.state,
      code_verifier: request.codeVerifier,
      nonce: request.nonce,
      return_to: sameOriginPath(query.return_to) ?? DEFAULT_RETURN_TO,
      expires_at: new Date(Date.now() + SIGN_IN_SECONDS * 1000),
    });
    this.sessions.metrics.redirects.inc({ prompt: prompt ?? 'default' });
    if (prompt) this.logger.info({ prompt, after_sign_out: afterSignOut }, 'sign-in asks the provider for credentials again');
    res.cookie(signInCookieName(settings.cookieName), request.state, sessionCookieOptions(settings.secureCookie, SIGN_IN_SECONDS, '/auth'));
    res.redirect(302, request.url.href);
  }

  @Get('auth/callback')
  @ApiExcludeEndpoint()
  async callback(@Query(new ZodValidationPipe(callbackQuery)) query: z.output<typeof callbackQuery>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const settings = this.sessions.requireSettings();
    const refuse = (status: number, result: SignInRefusal, title: string, message: string) => {
      this.sessions.metrics.signIns.inc({ result });
      res.status(status).set('cache-control', 'no-store').vary('accept');
      // A browser coming back from the provider reads a page; a client that asks for JSON gets the same
      // refusal as every other error answer (RFC 9457 §3: a problem may be negotiated to another format).
      if (req.accepts(['html', PROBLEM_JSON, 'json']) === 'html') return void res.type('html').send(signInProblemPage(title, message));
      res.type(PROBLEM_JSON).send(JSON.stringify(problemDetails({ status, code: SIGN_IN_REFUSAL_CODES[result], detail: message, instance: req.path })));
    };
    const stateCookie = signInCookieName(settings.cookieName);
    res.clearCookie(stateCookie, { ...sessionCookieOptions(settings.secureCookie, 0, '/auth'), maxAge: undefined });
    // The state must be the one this browser's own sign-in set; a callback URL from another browser is refused.
    if (cookieOf(req, stateCookie) !== query.state) {
      this.logger.warn({ reason: 'state_cookie' }, 'sign-in callback refused');
      return refuse(400, 'invalid_state', 'Sign-in not recognised', 'This sign-in was not started in this browser, or it took longer than 10 minutes.');
    }
    const pending = await this.repository.takePendingSignIn(this.database, query.state, new Date());
    if (!pending) {
      this.logger.warn({ reason: 'unknown_state' }, 'sign-in callback refused');
      return refuse(400, 'invalid_state', 'Sign-in expired', 'This sign-in was already used or took longer than 10 minutes.');
    }
    if (query.error !== undefined) {
      this.logger.warn({ error: query.error }, 'the OpenID provider refused the sign-in');
      return refuse(401, 'provider_error', 'Sign-in refused', `The identity provider refused the sign-in: ${query.error_description ?? query.error}.`);
    }
    let claims: Record<string, unknown>;
    try {
      const search = new URL(req.originalUrl, 'http://callback.invalid').search;
      claims = await this.client!.claimsOf(search, { state: pending.state, codeVerifier: pending.code_verifier, nonce: pending.nonce }, settings.rolesClaim);
    } catch (error) {
      // openid-client's error: its code and message say what failed; they hold no token.
      this.logger.warn({ err_code: (error as { code?: string }).code, err_message: (error as Error).message }, 'sign-in code exchange failed');
      return refuse(
        401,
        'failed',
        'Sign-in failed',
        'The identity provider’s answer could not be verified. Try again; if it keeps failing, tell an administrator.',
      );
    }
    const name = stringClaim(claims, 'name');
    const email = stringClaim(claims, 'email');
    const subject = email ?? stringClaim(claims, 'preferred_username') ?? String(claims['sub']);
    const roles = rolesOf(claims, settings.rolesClaim, this.roleMap!);
    if (roles.length === 0) {
      this.logger.warn({ subject, claim: settings.rolesClaim }, 'signed-in person has no role');
      return refuse(
        403,
        'no_role',
        'No access to Churn Radar',
        `You are signed in as ${name ?? subject}, but your account has no role in Churn Radar (none of its ${settings.rolesClaim} maps to agent or admin). Ask an administrator to add you to the retention team's group.`,
      );
    }
    const { cookie } = await this.sessions.create({ subject, name, email, roles }, cookieOf(req, settings.cookieName));
    this.sessions.metrics.signIns.inc({ result: 'signed_in' });
    this.logger.info({ subject, roles }, 'signed in');
    res.cookie(settings.cookieName, cookie, sessionCookieOptions(settings.secureCookie, settings.maxAgeSeconds));
    res.clearCookie(signedOutCookieName(settings.cookieName), { ...sessionCookieOptions(settings.secureCookie, 0, '/auth'), maxAge: undefined });
    res.set('cache-control', 'no-store').redirect(302, pending.return_to);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiExcludeEndpoint()
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const settings = this.sessions.requireSettings();
    await this.sessions.signOut(req);
    res.clearCookie(settings.cookieName, { ...sessionCookieOptions(settings.secureCookie, 0), maxAge: undefined });
    // Lives as long as a session could: the provider's own session of the person is not ours to know.
    res.cookie(signedOutCookieName(settings.cookieName), '1', sessionCookieOptions(settings.secureCookie, settings.maxAgeSeconds, '/auth'));
    res.status(204).end();
  }

  /**
   * Who is signed in: `{ oidc: false }` when sign-in is off (bearer tokens only); otherwise
   * `{ oidc: true, signed_in: false, login_url }` or the person, their roles, the CSRF token to send
   * in `x-csrf-token`, and when the session ends. An ended session answers 401 SESSION_ENDED.
   */
  @Get('v1/session')
  @ApiAnswer('SessionAnswer', sessionAnswerSchema)
  async session(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.set('cache-control', 'no-store');
    if (!this.sessions.settings) return void res.json({ oidc: false });
    const view = await this.sessions.sessionOf(req);
    if (!view) return void res.json({ oidc: true, signed_in: false, login_url: '/auth/login' });
    const { principal } = view;
    res.json({
      oidc: true,
      signed_in: true,
      subject: principal.subject,
      name: principal.name ?? null,
      email: principal.email ?? null,
      roles: principal.roles,
      csrf_token: view.csrfToken,
      expires_at: view.expiresAt.toISOString(),
      idle_expires_at: view.idleExpiresAt.toISOString(),
    });
  }
}

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
