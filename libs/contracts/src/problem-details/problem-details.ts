import type { FieldError, ProblemDetails } from './problem-details.schema';

/**
 * The titles of the error statuses (RFC 9110's reason phrases, as Node's STATUS_CODES has them),
 * written out so that the builder runs wherever the contracts do: in services, the CLI's jobs worker
 * and the browser.
 */
const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  511: 'Network Authentication Required',
};

export interface ProblemInput {
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  /** The request's path: which occurrence of the problem this is. */
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
  /** Further members (a refused import's rows, where to sign in); they never replace the standard ones. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** Where a problem type is described: docs/http-errors.md lists every code. */
export function problemTypeOf(code: string): string {
  return `urn:churn-radar:problem:${code}`;
}

/** The one builder of error bodies: RFC 9457 members, then `code`, field `errors` and extensions. */
export function problemDetails(input: ProblemInput): ProblemDetails {
  return {
    ...input.extensions,
    type: problemTypeOf(input.code),
    title: STATUS_TITLES[input.status] ?? 'Error',
    status: input.status,
    ...(input.detail !== undefined ? { detail: input.detail } : {}),
    ...(input.instance !== undefined ? { instance: input.instance } : {}),
    code: input.code,
    ...(input.errors !== undefined ? { errors: [...input.errors] } : {}),
  };
}
