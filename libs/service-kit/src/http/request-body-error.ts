import type { ErrorRequestHandler } from 'express';
import { DomainError } from '../errors/domain-error';

export type RequestBodyErrorCode = 'MALFORMED_BODY' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';

/** A body the parsers refused before any route saw it. */
export class RequestBodyError extends DomainError<RequestBodyErrorCode> {}

/**
 * body-parser's failures as typed errors. body-parser marks each with a `type`
 * (https://github.com/expressjs/body-parser#errors); without this, Nest turns the JSON SyntaxError
 * into a bare 400 "Unexpected token…" (RoutesResolver.mapExternalException) and a 413 reaches the
 * filter as an untyped error.
 */
export function requestBodyErrorOf(error: { type?: unknown; message?: unknown; limit?: unknown }): RequestBodyError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new RequestBodyError('MALFORMED_BODY', `the body cannot be parsed: ${String(error.message ?? '')}`);
    case 'entity.too.large':
      return new RequestBodyError('PAYLOAD_TOO_LARGE', `the body is larger than the ${String(error.limit)} bytes this route accepts`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new RequestBodyError('UNSUPPORTED_MEDIA_TYPE', String(error.message ?? 'unsupported body encoding'));
    default:
      return null;
  }
}

/** Installed right after a body parser: passes its failure on as a RequestBodyError. */
export const requestBodyErrors: ErrorRequestHandler = (error: { type?: unknown }, _req, _res, next) => next(requestBodyErrorOf(error) ?? error);
