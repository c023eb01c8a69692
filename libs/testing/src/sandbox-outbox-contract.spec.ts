import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sandboxOutboxSchema, type SandboxOutbox } from '@churn/contracts';
import { buildOutbox, type Outbox } from '@churn/sandbox';

/**
 * Monitoring forwards the sandbox's outbox as it is and documents it with the contract's schema; the
 * sandbox imports nothing of ours, so its type is held to the contract here.
 */
const answersTheContract = (outbox: Outbox): SandboxOutbox => outbox;

describe("the integration sandbox's outbox", () => {
  it('is what the contract says monitoring forwards', async () => {
    const outbox = await buildOutbox({ startedAt: Date.UTC(2026, 0, 1), slack: [], mails: [], salesforce: [], hubspot: [], hubspotTasks: [] }, 10);
    assert.deepEqual(sandboxOutboxSchema.parse(answersTheContract(outbox)), outbox);
  });
});
