import { describePayloadIssues, type PayloadIssue } from '@churn/feature-spec';
import { PermanentMessageError } from '@churn/kafka';

/** A schema version 2 event that passed the contract but does not fit the active feature spec. */
export class SpecMismatchError extends PermanentMessageError {
  static readonly CODE = 'SPEC_MISMATCH';

  constructor(readonly issues: readonly PayloadIssue[]) {
    super(SpecMismatchError.CODE, describePayloadIssues(issues));
    this.name = 'SpecMismatchError';
  }
}
