import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AlertChange, RiskLevel } from '@churn/contracts';
import { type AlertRow } from '@churn/alerting-data';
import { TopicOutboxRepository, type Queryable } from '@churn/db';
import { dueAt } from '../queue/due-at';
import { slaTargetSeconds } from '../rules/alert-rules.schema';
import { AlertRulesService } from '../rules/alert-rules.service';
import { alertUpdateOf } from './alert-update';

export interface RecordedChange {
  readonly row: AlertRow;
  readonly change: AlertChange;
  readonly by: string | null;
  readonly note?: string | null;
}

/**
 * Writes alert changes to the `alert-updates` outbox inside the caller's transaction, so a change and
 * its update commit or roll back together; AlertUpdatesRelay publishes them.
 */
@Injectable()
export class AlertUpdatesOutbox {
  private readonly outbox = new TopicOutboxRepository('alert_updates');

  constructor(private readonly rules: AlertRulesService) {}

  async record(tx: Queryable, changes: readonly RecordedChange[]): Promise<void> {
    if (changes.length === 0) return;
    const targets = slaTargetSeconds(this.rules.current());
    await this.outbox.enqueue(
      tx,
      changes.map(({ row, change, by, note }) => {
        // An alert is assigned any number of times; every other change happens to it at most once.
        const update = alertUpdateOf(row, change, {
          by,
          note: note ?? null,
          dueAt: dueAt(row.created_at, row.level as RiskLevel, targets),
          updateId: change === 'assigned' ? `${row.alert_id}:assigned:${randomUUID()}` : undefined,
        });
        return { messageId: update.update_id, customerId: update.customer_id, payload: update };
      }),
    );
  }
}
