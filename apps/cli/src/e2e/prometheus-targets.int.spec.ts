import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { createLogger } from '@churn/observability';
import { REPO_ROOT, SERVICES, spawnService, stateDir, stopService, waitFor, waitForExit, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { freeLoopbackPort, testInfra, uniqueId } from '@churn/testing';

/**
 * The committed scrape config (deploy/prometheus/prometheus.yml) and rules, run by the Debian
 * `prometheus` binary against the five services as processes: every target is scraped and up, the
 * services' own series arrive with their `service` label, and the rules load and evaluate.
 * Loopback only: the services on the test ports, Prometheus on a free port of 127.0.0.1.
 */
const PROMETHEUS_BIN = process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';
const DEPLOY = path.join(REPO_ROOT, 'deploy', 'prometheus');

interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
}
interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs: ScrapeConfig[];
}

/** deploy/prometheus/prometheus.yml with its targets moved to this test's loopback ports, 1 s scrapes and the rules by absolute path. */
export function testConfig(committed: PrometheusConfig, servicePort: (name: string, port: number) => number, prometheusPort: number): PrometheusConfig {
  const retarget = (target: string): string => {
    const [host, port] = target.split(':');
    if (SERVICES.some((s) => s.name === host)) return `127.0.0.1:${servicePort(host!, Number(port))}`;
    if (host === 'localhost' && port === '9090') return `127.0.0.1:${prometheusPort}`;
    throw new Error(`deploy/prometheus/prometheus.yml: target ${target} is neither a service nor Prometheus itself`);
  };
  return {
    ...committed,
    global: { ...committed.global, scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: (committed.rule_files ?? []).map((f) => path.join(DEPLOY, 'rules', path.basename(f))),
    scrape_configs: committed.scrape_configs.map((job) => ({
      ...job,
      scrape_interval: '1s',
      static_configs: (job.static_configs ?? []).map((sc) => ({ ...sc, targets: sc.targets.map(retarget) })),
    })),
  };
}

interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}

describe('Prometheus (Debian package) scrapes every service of a running stack', () => {
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  const services: ServiceProcess[] = [];
  const workDir = path.join(stateDir(), 'prometheus-test', uniqueId('run'));
  let prometheus: ChildProcess | undefined;
  let promLog = '';
  let api = '';

  const get = async <T>(pathAndQuery: string): Promise<T> => {
    const response = await fetch(`${api}${pathAndQuery}`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status: string; data: T; error?: string };
    assert.equal(body.status, 'success', `${pathAndQuery}: ${body.error ?? response.status}`);
    return body.data;
  };
  const query = (promql: string) =>
    get<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);

  before(async () => {
    assert.ok(
      fs.existsSync(PROMETHEUS_BIN),
      `${PROMETHEUS_BIN} not found: install the Debian package (apt-get update && apt-get install -y prometheus) or set PROMETHEUS_BIN`,
    );
    const { kafkaBrokers, databaseUrl } = testInfra();
    const env = { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: uniqueId('prom'), LOG_LEVEL: 'info' };
    // Contract ports shifted by the runner's base (3001 → 13001), as in pipeline.int.spec.ts.
    const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000);
    const servicePort = (_name: string, port: number) => base + (port % 1000);
    for (const { name, port } of SERVICES) services.push(spawnService(name, env, { port: servicePort(name, port) }));
    await Promise.all(services.map((service) => waitUntilReady(service)));

    const port = await freeLoopbackPort();
    api = `http://127.0.0.1:${port}`;
    fs.mkdirSync(path.join(workDir, 'data'), { recursive: true });
    const committed = parse(fs.readFileSync(path.join(DEPLOY, 'prometheus.yml'), 'utf8')) as PrometheusConfig;
    const configFile = path.join(workDir, 'prometheus.yml');
    // JSON is YAML: Prometheus reads it as is.
    fs.writeFileSync(configFile, JSON.stringify(testConfig(committed, servicePort, port), null, 2));
    prometheus = spawn(
      PROMETHEUS_BIN,
      [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(workDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    for (const stream of [prometheus.stdout, prometheus.stderr]) stream?.on('data', (chunk: Buffer) => (promLog += chunk.toString()));
    await waitFor(
      `Prometheus to answer /-/ready on ${api}`,
      async () => {
        if (prometheus!.exitCode !== null) throw new Error(`prometheus exited with code ${prometheus!.exitCode}:\n${promLog}`);
        try {
          return (await fetch(`${api}/-/ready`, { signal: AbortSignal.timeout(1000) })).status === 200;
        } catch {
          return false;
        }
      },
      30_000,
      250,
    );
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) {
      prometheus.kill('SIGTERM');
      const timer = setTimeout(() => prometheus?.kill('SIGKILL'), 10_000);
      await waitForExit(prometheus);
      clearTimeout(timer);
    }
    await Promise.all(services.map((service) => stopService(service, logger)));
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('finds every target of deploy/prometheus/prometheus.yml up: the five services and Prometheus itself', async () => {
    let targets: Target[] = [];
    try {
      await waitFor(
        'every scrape target to be up',
        async () => {
          targets = (await get<{ activeTargets: Target[] }>('/api/v1/targets?state=active')).activeTargets;
          return targets.length === SERVICES.length + 1 && targets.every((t) => t.health === 'up');
        },
        30_000,
        500,
      );
    } catch (error) {
      const report = targets.map((t) => `${t.labels['job']}/${t.labels['service'] ?? '-'} ${t.scrapeUrl}: ${t.health} ${t.lastError}`).join('\n');
      throw new Error(`${(error as Error).message}\n${report}\n${promLog}`);
    }
    const churn = targets
      .filter((t) => t.labels['job'] === 'churn')
      .map((t) => t.labels['service'])
      .sort();
    assert.deepEqual(churn, SERVICES.map((s) => s.name).sort());

    const up = await query('up{job="churn"} == 1');
    assert.deepEqual(up.result.map((r) => r.metric['service']).sort(), SERVICES.map((s) => s.name).sort());
  });

  it("stores the services' own series under their service label (consumer lag of every service)", async () => {
    let services: string[] = [];
    // The consumers poll their lag every 10 s; the series appear after the first poll.
    await waitFor(
      'churn_kafka_consumer_lag_messages from all five services',
      async () => {
        services = (await query('count by (service) (churn_kafka_consumer_lag_messages)')).result.map((r) => r.metric['service']!).sort();
        return services.length === SERVICES.length;
      },
      45_000,
      1000,
    ).catch((error: Error) => assert.fail(`${error.message}; have: ${services.join(', ') || 'none'}`));
    assert.deepEqual(services, SERVICES.map((s) => s.name).sort());
  });

  it('loads the rules of deploy/prometheus/rules/ and evaluates them without error', async () => {
    type Rule = { name: string; health: string; lastError?: string };
    let rules: Rule[] = [];
    await waitFor(
      'every rule to have been evaluated',
      async () => {
        const { groups } = await get<{ groups: Array<{ rules: Rule[] }> }>('/api/v1/rules');
        rules = groups.flatMap((g) => g.rules);
        return rules.length > 0 && rules.every((r) => r.health !== 'unknown');
      },
      15_000,
      500,
    );
    assert.deepEqual(
      rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`),
      [],
    );
    assert.ok(
      rules.some((r) => r.name === 'ChurnConsumerLagHigh'),
      'the pipeline alerts are loaded',
    );
    assert.ok(
      rules.some((r) => r.name === 'ChurnServiceDown'),
      'the platform alert is loaded',
    );
  });
});
