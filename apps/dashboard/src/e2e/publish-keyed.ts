import { rawProducer } from '@churn/testing';

/** Publishes JSON values keyed by customer, as the services do: what the workspace specs seed with. */
export async function publish(topic: string, values: readonly { customer_id: string }[]): Promise<void> {
  const producer = await rawProducer();
  await producer.send({ topic, messages: values.map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
  await producer.close();
}
