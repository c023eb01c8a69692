import {
  CustomerEventTypes,
  hasKnownEventType,
  signedUpPayload,
  subscriptionChangedPayload,
  wholeCalendarMonths,
  type AttributeEventType,
  type CustomerEvent,
  type CustomerEventV1,
  type KnownTypeEventV2,
  type TelcoFeatures,
} from '@churn/contracts';
import type { CustomerState } from './customer-state';

export interface ApplyResult {
  readonly state: CustomerState;
  /** False when the event was older than the value it would have replaced (recorded, not applied). */
  readonly applied: boolean;
}

export function emptyState(customerId: string, event: CustomerEvent): CustomerState {
  return {
    customerId,
    signedUpAt: null,
    gender: null,
    seniorCitizen: null,
    partner: null,
    dependents: null,
    profileUpdatedAt: null,
    contract: null,
    phoneService: null,
    multipleLines: null,
    internetService: null,
    onlineSecurity: null,
    onlineBackup: null,
    deviceProtection: null,
    techSupport: null,
    streamingTv: null,
    streamingMovies: null,
    paperlessBilling: null,
    paymentMethod: null,
    monthlyCharges: null,
    subscriptionUpdatedAt: null,
    totalCharges: 0,
    invoicesPaid: 0,
    lastEventAt: event.occurred_at,
    lastEventId: event.event_id,
  };
}

/** An event whose payload this state reads: the contract's types, sign-up and subscription with the Telco payloads. */
type TelcoEvent = CustomerEventV1 | Exclude<KnownTypeEventV2, { event_type: AttributeEventType }>;

/**
 * The event as the Telco state reads it, or undefined when it carries nothing for it: a custom event
 * type, or a schema version 2 sign-up or subscription change that is not a complete Telco payload
 * (a partial update of the active spec's attributes, which the spec evaluator applies).
 */
function telcoView(event: CustomerEvent): TelcoEvent | undefined {
  if (!hasKnownEventType(event)) return undefined;
  if (event.schema_version === 1) return event;
  switch (event.event_type) {
    case CustomerEventTypes.signedUp: {
      const payload = signedUpPayload.safeParse(event.payload);
      return payload.success ? { ...event, schema_version: 1, event_type: event.event_type, payload: payload.data } : undefined;
    }
    case CustomerEventTypes.subscriptionChanged: {
      const payload = subscriptionChangedPayload.safeParse(event.payload);
      return payload.success ? { ...event, schema_version: 1, event_type: event.event_type, payload: payload.data } : undefined;
    }
    default:
      return event;
  }
}

const isOlder = (occurredAt: string, current: string | null) => current !== null && Date.parse(occurredAt) < Date.parse(current);

/**
 * Applies one event to a customer's state. Attribute groups are last-write-wins by `occurred_at`;
 * invoice amounts add up (each event applies once: the ledger guarantees it). An event the Telco state
 * cannot read (see telcoView) only moves the customer's latest event, as a behavioural event does.
 */
export function applyEvent(state: CustomerState, received: CustomerEvent): ApplyResult {
  const next: CustomerState = { ...state };
  let applied = true;
  const event = telcoView(received);
  switch (event?.event_type) {
    case CustomerEventTypes.signedUp: {
      if (isOlder(event.occurred_at, state.profileUpdatedAt)) {
        applied = false;
      } else {
        next.gender = event.payload.gender;
        next.seniorCitizen = event.payload.senior_citizen;
        next.partner = event.payload.partner;
        next.dependents = event.payload.dependents;
        next.profileUpdatedAt = event.occurred_at;
      }
      // Sign-up is when the customer relationship started: the earliest sign-up event counts.
      if (state.signedUpAt === null || Date.parse(event.occurred_at) < Date.parse(state.signedUpAt)) next.signedUpAt = event.occurred_at;
      break;
    }
    case CustomerEventTypes.subscriptionChanged: {
      if (isOlder(event.occurred_at, state.subscriptionUpdatedAt)) {
        applied = false;
        break;
      }
      const p = event.payload;
      next.contract = p.contract;
      next.phoneService = p.phone_service;
      next.multipleLines = p.multiple_lines;
      next.internetService = p.internet_service;
      next.onlineSecurity = p.online_security;
      next.onlineBackup = p.online_backup;
      next.deviceProtection = p.device_protection;
      next.techSupport = p.tech_support;
      next.streamingTv = p.streaming_tv;
      next.streamingMovies = p.streaming_movies;
      next.paperlessBilling = p.paperless_billing;
      next.paymentMethod = p.payment_method;
      next.monthlyCharges = p.monthly_charges;
      next.subscriptionUpdatedAt = event.occurred_at;
      break;
    }
    case CustomerEventTypes.invoicePaid:
      next.totalCharges = roundCents(state.totalCharges + event.payload.amount);
      next.invoicesPaid = state.invoicesPaid + 1;
      break;
    default:
      // Behavioural, cancellation and custom events change no baseline attribute; they stay in the event log for aggregates.
      break;
  }
  if (Date.parse(received.occurred_at) >= Date.parse(state.lastEventAt)) {
    next.lastEventAt = received.occurred_at;
    next.lastEventId = received.event_id;
  }
  return { state: next, applied };
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** The model's feature vector as of the customer's latest event, or undefined until sign-up and a subscription are known. */
export function toFeatureVector(state: CustomerState, asOf: string = state.lastEventAt): TelcoFeatures | undefined {
  if (
    state.signedUpAt === null ||
    state.gender === null ||
    state.seniorCitizen === null ||
    state.partner === null ||
    state.dependents === null ||
    state.contract === null ||
    state.phoneService === null ||
    state.paperlessBilling === null ||
    state.monthlyCharges === null ||
    state.multipleLines === null ||
    state.internetService === null ||
    state.onlineSecurity === null ||
    state.onlineBackup === null ||
    state.deviceProtection === null ||
    state.techSupport === null ||
    state.streamingTv === null ||
    state.streamingMovies === null ||
    state.paymentMethod === null
  ) {
    return undefined;
  }
  return {
    gender: state.gender,
    SeniorCitizen: state.seniorCitizen ? 1 : 0,
    Partner: yesNo(state.partner),
    Dependents: yesNo(state.dependents),
    tenure: wholeCalendarMonths(new Date(state.signedUpAt), new Date(asOf)),
    PhoneService: yesNo(state.phoneService),
    MultipleLines: state.multipleLines,
    InternetService: state.internetService,
    OnlineSecurity: state.onlineSecurity,
    OnlineBackup: state.onlineBackup,
    DeviceProtection: state.deviceProtection,
    TechSupport: state.techSupport,
    StreamingTV: state.streamingTv,
    StreamingMovies: state.streamingMovies,
    Contract: state.contract,
    PaperlessBilling: yesNo(state.paperlessBilling),
    PaymentMethod: state.paymentMethod,
    MonthlyCharges: state.monthlyCharges,
    TotalCharges: roundCents(state.totalCharges),
  };
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
