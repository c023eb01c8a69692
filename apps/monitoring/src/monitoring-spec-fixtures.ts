import { spawn } from 'node:child_process';
import path from 'node:path';
import { riskLevelOf, riskScoreOf, type Prediction } from '@churn/contracts';
import { rawProducer, uniqueId } from '@churn/testing';

/** Fixtures of monitoring's integration specs: predictions as the scorer publishes them, and a raw publisher. */

/** A champion prediction of `modelVersion` for a customer, as of `asOf` (ms), scored now; no action recommended unless overridden. */
export function aPrediction(customerId: string, modelVersion: string, probability: number, asOf: number, overrides: Partial<Prediction> = {}): Prediction {
  const riskScore = riskScoreOf(probability);
  return {
    prediction_id: uniqueId('p'),
    customer_id: customerId,
    model_version: modelVersion,
    churn_probability: probability,
    risk_score: riskScore,
    risk_level: riskLevelOf(riskScore),
    recommended_action: 'none',
    intervention_cost: 0,
    revenue_at_risk: 1200,
    top_factors: [],
    experiment: null,
    source_event_id: uniqueId('e'),
    as_of: new Date(asOf).toISOString(),
    scored_at: new Date().toISOString(),
    ...overrides,
  };
}

/** Publishes JSON values keyed by customer, in batches of 1,000. */
export async function publish(topic: string, values: readonly { customer_id: string }[]): Promise<void> {
  const producer = await rawProducer();
  for (let i = 0; i < values.length; i += 1000) {
    await producer.send({ topic, messages: values.slice(i, i + 1000).map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
  }
  await producer.close();
}

/** The built command line (apps/cli/dist), from this file compiled to apps/monitoring/dist. */
const CLI = path.resolve(__dirname, '..', '..', 'cli', 'dist', 'main.js');

/** Runs `bin/churn ARGS` (the built CLI) with `env` added to this process's environment. */
export function runChurn(args: readonly string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
