import type { CliContext } from '../cli-context';
import { kafkaEnvSchema, parseConfig } from '@churn/config';
import { consumerGroupLag, createKafka } from '@churn/kafka';
import { SERVICE_INPUTS } from '@churn/local-stack';
import type { RunningPlatform } from './up.command';

/** Until the named services' consumer groups have committed everything on their topics (lag 0, twice a second apart). */
export async function waitForDownstream(
  context: CliContext,
  platform: RunningPlatform,
  services: readonly (keyof typeof SERVICE_INPUTS)[],
  timeoutMs: number,
): Promise<void> {
  const env = parseConfig(kafkaEnvSchema, { ...context.env, KAFKA_BROKERS: platform.stack.kafkaBrokers });
  const admin = createKafka(env, 'churn-demo', context.logger).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let caughtUp = 0;
    while (caughtUp < 2) {
      const lags = await Promise.all(services.map((service) => consumerGroupLag(admin, `${env.KAFKA_GROUP_PREFIX}.${service}`, SERVICE_INPUTS[service])));
      const behind = lags.reduce((sum, byTopic) => sum + Object.values(byTopic).reduce((a, b) => a + b, 0), 0);
      caughtUp = behind === 0 ? caughtUp + 1 : 0;
      if (Date.now() > deadline) {
        context.logger.warn({ behind }, 'services still catching up; the summary shows what is stored so far');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await admin.disconnect();
  }
}
