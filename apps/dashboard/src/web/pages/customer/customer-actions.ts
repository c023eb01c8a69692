import type { Credentials } from '../../credentials';
import type { CustomerDetail } from '../../customer-api';

/**
 * What an action on the page gets from it: the customer's current detail, and `run`, which makes the
 * call with the person's credentials, says what happened in the page's live region, shows a refusal
 * next to the field it names, and reloads the page until `appeared` holds of the new detail (the
 * timeline comes from Kafka: an alert change reaches monitoring a moment after alerting answers).
 */
export interface CustomerActionContext {
  readonly detail: CustomerDetail;
  readonly run: (action: {
    readonly done: string;
    readonly call: (credentials: Credentials) => Promise<unknown>;
    readonly appeared: (detail: CustomerDetail) => boolean;
    readonly form: HTMLFormElement;
  }) => Promise<void>;
}
