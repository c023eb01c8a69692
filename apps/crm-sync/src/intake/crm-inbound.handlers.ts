import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Alert, type Outcome, type Prediction } from '@churn/contracts';
import { CrmIntakeService } from '@churn/crm';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { CrmDrainHost } from '../drain/crm-drain.host';

const sourceOf = (m: ConsumedMessage<unknown>) => ({ topic: m.topic, partition: m.partition, offset: m.offset });

/** predictions → score pushes queued in the outbox (change threshold, control arm skipped). */
@Injectable()
export class CrmPredictionsHandler implements TopicHandler<typeof Topics.predictions> {
  readonly topic = Topics.predictions;
  constructor(
    @Inject(CrmIntakeService) private readonly intake: CrmIntakeService,
    @Inject(CrmDrainHost) private readonly drain: CrmDrainHost,
  ) {}
  async handle(messages: ConsumedMessage<Prediction>[]): Promise<void> {
    const queued = await this.intake.recordPredictions(messages.map((m) => ({ value: m.value, source: sourceOf(m) })));
    if (queued > 0) this.drain.nudge();
  }
}

/** alerts → one retention task per high/critical alert and CRM. */
@Injectable()
export class CrmAlertsHandler implements TopicHandler<typeof Topics.alerts> {
  readonly topic = Topics.alerts;
  constructor(
    @Inject(CrmIntakeService) private readonly intake: CrmIntakeService,
    @Inject(CrmDrainHost) private readonly drain: CrmDrainHost,
  ) {}
  async handle(messages: ConsumedMessage<Alert>[]): Promise<void> {
    const queued = await this.intake.recordAlerts(messages.map((m) => ({ value: m.value, source: sourceOf(m) })));
    if (queued > 0) this.drain.nudge();
  }
}

/** outcomes → a churned customer's open retention tasks annotated or closed (CRM_CHURNED_TASKS). */
@Injectable()
export class CrmOutcomesHandler implements TopicHandler<typeof Topics.outcomes> {
  readonly topic = Topics.outcomes;
  constructor(
    @Inject(CrmIntakeService) private readonly intake: CrmIntakeService,
    @Inject(CrmDrainHost) private readonly drain: CrmDrainHost,
  ) {}
  async handle(messages: ConsumedMessage<Outcome>[]): Promise<void> {
    const queued = await this.intake.recordOutcomes(messages.map((m) => ({ value: m.value, source: sourceOf(m) })));
    if (queued > 0) this.drain.nudge();
  }
}
