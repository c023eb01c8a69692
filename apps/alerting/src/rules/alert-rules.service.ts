import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { parse as parseYaml } from 'yaml';
import { getOrCreateCounter, getOrCreateGauge, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';
import { AlertRulesEngine } from './alert-rules.engine';
import { alertRulesSchema, DEFAULT_ALERT_RULES, type AlertRules } from './alert-rules.schema';

export class InvalidRulesError extends Error {
  readonly code = 'RULES_INVALID';
  constructor(file: string, reason: string) {
    super(`rules file ${file}: ${reason}`);
    this.name = 'InvalidRulesError';
  }
}

/** Reads and validates a rules file (YAML or JSON; YAML is a superset of JSON). */
export function parseRulesFile(file: string, text: string): AlertRules {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new InvalidRulesError(file, `not YAML/JSON: ${(error as Error).message}`);
  }
  const parsed = alertRulesSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new InvalidRulesError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/**
 * The rules in effect. Loaded at start (an invalid file stops the service), then the file is polled:
 * a valid change takes effect for the next batch; an invalid edit keeps the previous rules, is logged
 * and counted (`alerting_rules_reloads_total{result="invalid"}`).
 */
@Injectable()
export class AlertRulesService implements OnModuleInit, OnApplicationShutdown {
  private rules: AlertRules = DEFAULT_ALERT_RULES;
  private engineOfRules = new AlertRulesEngine(DEFAULT_ALERT_RULES);
  private fingerprint = '';
  private loadedAt = new Date();
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: AlertRulesService.name });
    this.metrics = {
      reloads: getOrCreateCounter(registry, {
        name: 'alerting_rules_reloads_total',
        help: 'Rules file reloads by result (applied, invalid).',
        labelNames: ['result'] as const,
      }),
      loadedAt: getOrCreateGauge(registry, {
        name: 'alerting_rules_loaded_timestamp_seconds',
        help: 'When the rules in effect were loaded.',
        labelNames: [] as const,
      }),
    };
  }

  onModuleInit(): void {
    const file = this.config.ALERTING_RULES_FILE;
    if (!file) {
      this.logger.info('no ALERTING_RULES_FILE: using the default rules');
      this.metrics.loadedAt.set(Date.now() / 1000);
      return;
    }
    const text = this.read(file);
    this.apply(parseRulesFile(file, text), text);
    this.logger.info({ file, rules: this.rules }, 'alert rules loaded');
    this.timer = setInterval(() => this.poll(file), this.config.ALERTING_RULES_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  current(): AlertRules {
    return this.rules;
  }

  engine(): AlertRulesEngine {
    return this.engineOfRules;
  }

  describe(): { source: string; loaded_at: string; rules: AlertRules } {
    return { source: this.config.ALERTING_RULES_FILE ?? 'defaults', loaded_at: this.loadedAt.toISOString(), rules: this.rules };
  }

  /** One poll of the file; public so that tests can force it. */
  poll(file: string): void {
    let text: string;
    try {
      text = this.read(file);
    } catch (error) {
      this.metrics.reloads.inc({ result: 'invalid' });
      this.logger.error({ file, err: error }, 'rules file unreadable; keeping the previous rules');
      return;
    }
    if (hash(text) === this.fingerprint) return;
    try {
      this.apply(parseRulesFile(file, text), text);
      this.metrics.reloads.inc({ result: 'applied' });
      this.logger.info({ file, rules: this.rules }, 'alert rules reloaded');
    } catch (error) {
      // Remember the bad text so that it is reported once, not at every poll.
      this.fingerprint = hash(text);
      this.metrics.reloads.inc({ result: 'invalid' });
      this.logger.error({ file, reason: (error as Error).message }, 'invalid rules file; keeping the previous rules');
    }
  }

  private read(file: string): string {
    return fs.readFileSync(file, 'utf8');
  }

  private apply(rules: AlertRules, text: string): void {
    this.rules = rules;
    this.engineOfRules = new AlertRulesEngine(rules);
    this.fingerprint = hash(text);
    this.loadedAt = new Date();
    this.metrics.loadedAt.set(this.loadedAt.getTime() / 1000);
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
