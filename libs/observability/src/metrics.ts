import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A registry per process with Node's default metrics and a `service` label on every series, so
 * that dashboards can tell five services apart when one Prometheus scrapes them all.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Prometheus names: `<prefix>_<thing>_<unit>`; the prefix is `churn` for shared layers. */
export function metricName(prefix: string, name: string): string {
  return `${prefix.replace(/-/g, '_')}_${name}`;
}

/** Returns the metric already registered under that name, or registers a new one; layers share registries. */
export function getOrCreateCounter<L extends string>(registry: Registry, config: { name: string; help: string; labelNames: readonly L[] }): Counter<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Counter<L>;
  return new Counter({ ...config, registers: [registry] });
}

export function getOrCreateGauge<L extends string>(registry: Registry, config: { name: string; help: string; labelNames: readonly L[] }): Gauge<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ ...config, registers: [registry] });
}

export function getOrCreateHistogram<L extends string>(
  registry: Registry,
  config: { name: string; help: string; labelNames: readonly L[]; buckets?: number[] },
): Histogram<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ ...config, registers: [registry] });
}

/** Buckets from 1 ms to 10 s: covers a database call as well as a slow batch. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export { Registry };
