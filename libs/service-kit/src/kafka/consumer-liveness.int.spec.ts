import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { AssignerProtocol, type Consumer, type PartitionAssigner } from 'kafkajs';
import { healthProblemSchema, PROBLEM_JSON, Topics, type TopicName } from '@churn/contracts';
import { serviceTestEnv, testKafka, until } from '@churn/testing';
import { baseServiceConfigSchema } from '../core/base-config';
import { startService, type RunningService } from '../bootstrap';
import { KafkaModule } from './kafka.module';
import type { TopicHandler } from './topic-handler';

@Injectable()
class OutcomesSpecHandler implements TopicHandler<typeof Topics.outcomes> {
  readonly topic = Topics.outcomes;
  async handle(): Promise<void> {}
}

@Module({
  imports: [KafkaModule.forRoot({ group: 'liveness-spec', consumer: { deadLetterTopic: Topics.outcomesDlq, handlers: [OutcomesSpecHandler] } })],
  providers: [OutcomesSpecHandler],
})
class LivenessSpecModule {}

/** A partition assignor our consumer does not speak: the broker refuses a member that lacks it. */
const foreignAssigner: PartitionAssigner = () => ({
  name: 'SpecForeignAssigner',
  version: 1,
  protocol: ({ topics }) => ({
    name: 'SpecForeignAssigner',
    metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
  }),
  assign: async ({ members, topics }) =>
    members.map(({ memberId }, i) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: i === 0 ? Object.fromEntries(topics.map((t) => [t, [0, 1, 2]])) : {},
        userData: Buffer.alloc(0),
      }),
    })),
});

/** Joins the group first, with an assignor nobody else offers, and resolves once it is a member. */
async function foreignMember(groupId: string, topic: TopicName): Promise<Consumer> {
  const consumer = testKafka().consumer({ groupId, partitionAssigners: [foreignAssigner], sessionTimeout: 30_000 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({ eachBatch: async () => undefined });
  await joined;
  return consumer;
}

describe('a Kafka consumer that crashed for good fails liveness', () => {
  let sut: RunningService;
  let other: Consumer;

  before(async () => {
    const env = serviceTestEnv();
    // The broker answers our consumer's JoinGroup with INCONSISTENT_GROUP_PROTOCOL, a non-retriable
    // error: kafkajs emits `crash` with restart: false and leaves the consumer stopped.
    other = await foreignMember(`${env['KAFKA_GROUP_PREFIX']}.liveness-spec`, Topics.outcomes);
    sut = await startService({ name: 'liveness-spec', configSchema: baseServiceConfigSchema(0), module: () => LivenessSpecModule, env });
  });

  after(async () => {
    await sut?.close();
    await other?.disconnect();
  });

  it('answers 503 on /health/live and shows the consumer stopped on /metrics', async () => {
    await until('/health/live to fail', async () => (await fetch(`${sut.url}/health/live`)).status !== 200, 30_000);
    const live = await fetch(`${sut.url}/health/live`);
    assert.equal(live.status, 503);
    assert.equal(live.headers.get('content-type')?.split(';')[0], PROBLEM_JSON);
    const problem = healthProblemSchema.parse(await live.json());
    assert.deepEqual(
      [problem.code, problem.detail, problem.instance, problem.checks],
      ['NOT_LIVE', 'failing: kafka-consumer', '/health/live', { 'kafka-consumer': 'failing' }],
    );
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    assert.match(metrics, /^churn_kafka_consumer_running\{[^}]*group="[^"]+\.liveness-spec"[^}]*\} 0$/m);
    assert.match(metrics, /^churn_kafka_consumer_crashes_total\{[^}]*restart="false"[^}]*\} 1$/m);
  });
});

describe('a consumer that runs is alive', () => {
  it('answers 200 on /health/live with the consumer check', async () => {
    const sut = await startService({
      name: 'liveness-spec',
      configSchema: baseServiceConfigSchema(0),
      module: () => LivenessSpecModule,
      env: serviceTestEnv(),
    });
    try {
      await until('the consumer to join', async () => (await fetch(`${sut.url}/health/ready`)).status === 200, 30_000);
      const live = await fetch(`${sut.url}/health/live`);
      assert.equal(live.status, 200);
      assert.deepEqual(await live.json(), { status: 'ok', checks: { 'kafka-consumer': 'ok' } });
      assert.match(await (await fetch(`${sut.url}/metrics`)).text(), /^churn_kafka_consumer_running\{[^}]*\} 1$/m);
    } finally {
      await sut.close();
    }
  });
});
