import { DomainError } from '@churn/service-kit';

/** Why a row of an outcome or intervention upload was refused (also the `reason` label of the refused-rows counter). */
export type ProblemCode =
  'missing_field' | 'malformed_field' | 'unknown_field' | 'malformed_row' | 'unknown_customer' | 'future_date' | 'negative_cost' | 'duplicate_row';

export interface RowProblem {
  /** The CSV line (the header is line 1); null for a JSON record. */
  readonly line: number | null;
  readonly field: string;
  readonly code: ProblemCode;
  readonly message: string;
}

export type RecordKindName = 'outcomes' | 'interventions';

/** An upload refused: bad rows, an unreadable body, an unsupported content type, a body over the limit. */
export type RecordsErrorCode = 'RECORDS_REFUSED' | 'UNREADABLE_RECORDS' | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE';

/** An upload with at least one bad row: every problem is listed and nothing is recorded. */
export class RecordsRefusedError extends DomainError<RecordsErrorCode> {
  constructor(
    readonly kind: RecordKindName,
    readonly rows: number,
    readonly problems: readonly RowProblem[],
  ) {
    const refusedRows = new Set(problems.map((p) => p.line ?? 0)).size;
    super('RECORDS_REFUSED', `${refusedRows} of ${rows} ${kind} record(s) refused (${problems.length} problem(s)); nothing was recorded`, {
      rows,
      refused_rows: refusedRows,
      problems,
    });
  }
}

/** A body that cannot be read as records at all (bad CSV quoting, no rows, wrong content type). */
export class UnreadableRecordsError extends DomainError<RecordsErrorCode> {
  constructor(
    readonly reason: 'malformed_csv' | 'empty' | 'unsupported_media_type' | 'malformed_json' | 'too_large',
    message: string,
  ) {
    super(reason === 'unsupported_media_type' ? 'UNSUPPORTED_MEDIA_TYPE' : reason === 'too_large' ? 'PAYLOAD_TOO_LARGE' : 'UNREADABLE_RECORDS', message);
  }
}
