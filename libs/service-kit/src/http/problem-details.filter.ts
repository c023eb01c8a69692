import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PROBLEM_JSON, problemDetails, type ProblemDetails } from '@churn/contracts';
import type { Logger } from '@churn/observability';
import { DomainError } from '../errors/domain-error';
import { ValidationError } from '../errors/validation-error';
import type { ErrorStatusTable } from './error-statuses';

/** Codes of the answers Nest and Express give themselves (unknown route, throttler, a guard's refusal). */
const HTTP_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * The one exception filter of every service (startService installs it): whatever a route, guard,
 * pipe or body parser throws is answered as `application/problem+json`. A DomainError answers the
 * status its code has in the service's table; Nest's HttpExceptions keep their status; anything
 * else is a 500 that names no internals and is logged with the request id it carries.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger: Logger;

  constructor(
    private readonly statuses: ErrorStatusTable,
    logger: Logger,
    private readonly realm: string,
  ) {
    this.logger = logger.child({ context: ProblemDetailsFilter.name });
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const problem = this.problemOf(exception, req);
    if (res.headersSent) {
      this.logger.warn({ path: req.path, status: problem.status, code: problem.code }, 'error after the answer started; connection closed');
      res.end();
      return;
    }
    // RFC 9110 §15.5.2: a 401 names the scheme that would succeed.
    if (problem.status === HttpStatus.UNAUTHORIZED && !res.getHeader('www-authenticate')) res.setHeader('WWW-Authenticate', `Bearer realm="${this.realm}"`);
    res.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem));
  }

  problemOf(exception: unknown, req: Request): ProblemDetails {
    const instance = req.path;
    if (exception instanceof DomainError) {
      const status = this.statuses.statusOf(exception.code);
      if (status === undefined) return this.unexpected(exception, req, `error code ${exception.code} has no HTTP status in the service's table`);
      if (status >= 500) this.logger.warn({ path: instance, status, code: exception.code, detail: exception.message }, 'request failed');
      return problemDetails({
        status,
        code: exception.code,
        detail: exception.message,
        instance,
        ...(exception instanceof ValidationError ? { errors: exception.errors } : {}),
        extensions: exception.details,
      });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return problemDetails({ status, code: HTTP_CODES[status] ?? codeOfStatus(status), detail: detailOf(exception), instance });
    }
    // http-errors (body-parser, raw-body) mark the errors whose message may be shown with `expose`.
    const raw = exception as { status?: unknown; expose?: unknown; message?: unknown };
    if (raw && raw.expose === true && typeof raw.status === 'number' && raw.status >= 400 && raw.status < 500) {
      return problemDetails({ status: raw.status, code: HTTP_CODES[raw.status] ?? codeOfStatus(raw.status), detail: String(raw.message), instance });
    }
    return this.unexpected(exception, req, 'unexpected error');
  }

  private unexpected(exception: unknown, req: Request, why: string): ProblemDetails {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w.:-]{1,100}$/.test(header) ? header : randomUUID();
    this.logger.error({ err: exception, request_id: requestId, method: req.method, path: req.path }, why);
    return problemDetails({
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL_ERROR',
      detail: `the service failed to answer; it logged the failure under request_id ${requestId}`,
      instance: req.path,
      extensions: { request_id: requestId },
    });
  }
}

function detailOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function codeOfStatus(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
