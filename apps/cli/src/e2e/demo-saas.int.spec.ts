import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, testPortOffset } from '@churn/local-stack';

/** Its own ports and data, apart from the test stack and from the README's demo. */
const OFFSET = Math.min(1000, testPortOffset() + 600);

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js'), 'demo', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CHURN_PORT_OFFSET: String(OFFSET), KAFKA_BROKERS: '', DATABASE_URL: '', CHURN_QUIET: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('churn demo --dataset saas: the SYNTHETIC business trained on, replayed, rescored at its snapshot', { timeout: 20 * 60_000 }, () => {
  it('streamed predictions of the rescore equal batch scores of the table (±1e-6), nothing dead-lettered, every summary line SYNTHETIC', async () => {
    const { code, output } = await runDemo(['--dataset', 'saas', '--customers', '300', '--exit', '--no-sandbox', '--timeout', '600']);
    assert.equal(code, 0, output.slice(-4000));
    const summary = output.slice(output.indexOf('Churn Radar demo — SYNTHETIC SaaS business'));
    const lines = summary.split('\n\n')[0]!.split('\n');
    assert.ok(lines.length >= 10, summary);
    for (const line of lines) assert.match(line, /SYNTHETIC/, line);
    const streamBatch = /stream = batch: (\d+) customers/.exec(summary);
    assert.ok(streamBatch, summary);
    const rescored = /rescored as of\s+\S+: (\d+) feature vectors published, (\d+) of them of customers cancelled/.exec(summary);
    assert.ok(rescored, summary);
    assert.equal(Number(streamBatch[1]) + Number(rescored[2]), Number(rescored[1]), 'every rescored customer of the table compared');
    assert.ok(Number(streamBatch[1]) > 100, summary);
    assert.match(summary, /dead letters\s+0 /);
    assert.match(summary, /CV ROC-AUC\s+0\.\d{4}/);
    assert.match(summary, /held-out ROC-AUC\s+0\.\d{4}/);
  });
});
