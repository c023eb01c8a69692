/**
 * A failure of a module's own rules. Each module declares its class with a closed union of codes
 * (`class AlertError extends DomainError<AlertErrorCode> {}`); which HTTP status a code answers is
 * the HTTP layer's choice (the service's error-status table), never the domain service's.
 */
export class DomainError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    /** Extra members of the answer (e.g. every refused row of an import), beside code and detail. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
