import { SYNTHETIC_PREFIX, type PayloadValue, type SaasEvent, type SaasEventType } from './saas-event';

/**
 * One customer's events as the simulation emits them. Ids are deterministic (customer, kind, sequence
 * number), so that generating with the same seed twice gives the same ids and a second replay is all
 * duplicates; `sorted` orders by time, ties kept in emission order.
 */
export class EventLog {
  private readonly events: { readonly at: number; readonly event: SaasEvent }[] = [];
  private readonly sequences = new Map<string, number>();

  constructor(private readonly customerId: string) {}

  add(type: SaasEventType, atMs: number, kind: string, payload: Readonly<Record<string, PayloadValue>>): void {
    // Whole seconds: event times read like a real system's, and rounding down keeps an event before what bounds it.
    const at = Math.floor(atMs / 1000) * 1000;
    const seq = (this.sequences.get(kind) ?? 0) + 1;
    this.sequences.set(kind, seq);
    this.events.push({
      at,
      event: {
        event_id: `${SYNTHETIC_PREFIX}-saas:${this.customerId}:${kind}-${String(seq).padStart(5, '0')}`,
        event_type: type,
        customer_id: this.customerId,
        occurred_at: new Date(at).toISOString(),
        schema_version: 2,
        payload,
      },
    });
  }

  sorted(): SaasEvent[] {
    return this.events
      .map((entry, index) => ({ ...entry, index }))
      .sort((a, b) => a.at - b.at || a.index - b.index)
      .map((entry) => entry.event);
  }
}
