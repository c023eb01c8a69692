import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  AlertingModelAlertRepository,
  AlertRepository,
  NotificationRepository,
  type AlertRow,
  type ClaimedNotification,
  type FailedAttempt,
  type NotificationChannel,
} from '@churn/alerting-data';
import { Database } from '@churn/db';
import { SmtpMailer } from '@churn/mailer';
import { getOrCreateCounter, getOrCreateGauge, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { AlertingConfig } from '../config';
import { alertEmail, digestEmail, modelAlertEmail } from '../email/email-message';
import { slackAlertMessage, slackDigestMessage, slackModelAlertMessage } from '../slack/slack-message';
import { SlackWebhookClient, type DeliveryResult } from '../slack/slack-webhook.client';
import { AlertNotificationsRelay } from '../updates/alert-notifications.relay';
import { backoffDelayMs } from './backoff';
import { DESTINATION_UP_HELP, EnabledChannels } from './enabled-channels';
import { NotificationFactsOutbox } from './notification-facts.outbox';

const EMAIL_CONCURRENCY = 3;
const DIGEST_CHECK_INTERVAL_MS = 60_000;

/** The calendar day (UTC) a daily digest belongs to. */
export function digestDayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Drains the notification outbox. Every instance runs one loop per configured channel; rows are
 * claimed with FOR UPDATE SKIP LOCKED and a lease, so instances never send the same row at the same
 * time, and the result is recorded only by the instance that still holds the claim.
 *
 * Slack: one message per send slot (SLACK_MAX_MESSAGES_PER_SECOND, cluster-wide through the
 * destination row); when more than one alert is due, the slot carries a digest listing them all.
 * 429 holds the destination for Retry-After; 5xx, timeouts and network errors back off exponentially
 * with jitter; a refused message is parked (a refused digest is split: its rows go out one by one);
 * answers about the webhook itself mark the destination dead. After NOTIFY_MAX_ATTEMPTS a row is
 * parked and retried every NOTIFY_PARKED_RETRY_MS — never dropped.
 *
 * The operators' destinations (ops_slack, ops_email) carry model alerts, one message each, through
 * the same claims, retries and dead-destination rules.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly notifications = new NotificationRepository();
  private readonly alerts = new AlertRepository();
  private readonly modelAlerts = new AlertingModelAlertRepository();
  private readonly slack: SlackWebhookClient | undefined;
  private readonly mailer: SmtpMailer | undefined;
  private readonly opsSlack: SlackWebhookClient | undefined;
  private readonly opsMailer: SmtpMailer | undefined;
  private readonly logger: Logger;
  private readonly metrics;
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void)[] = [];
  private lastDigestCheck = 0;

  constructor(
    private readonly database: Database,
    private readonly channels: EnabledChannels,
    private readonly facts: NotificationFactsOutbox,
    private readonly factsRelay: AlertNotificationsRelay,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: NotificationDispatcher.name });
    if (config.SLACK_WEBHOOK_URL) this.slack = new SlackWebhookClient(config.SLACK_WEBHOOK_URL, config.SLACK_TIMEOUT_MS);
    if (config.SMTP_URL && config.ALERT_EMAIL_TO) {
      this.mailer = new SmtpMailer({ url: config.SMTP_URL, from: config.ALERT_EMAIL_FROM, to: config.ALERT_EMAIL_TO, timeoutMs: config.SMTP_TIMEOUT_MS });
    }
    if (config.OPS_SLACK_WEBHOOK_URL) this.opsSlack = new SlackWebhookClient(config.OPS_SLACK_WEBHOOK_URL, config.SLACK_TIMEOUT_MS);
    if (config.SMTP_URL && config.OPS_EMAIL_TO) {
      this.opsMailer = new SmtpMailer({ url: config.SMTP_URL, from: config.ALERT_EMAIL_FROM, to: config.OPS_EMAIL_TO, timeoutMs: config.SMTP_TIMEOUT_MS });
    }
    this.metrics = {
      messages: getOrCreateCounter(registry, {
        name: 'alerting_notification_messages_total',
        help: 'Messages handed to a destination, by channel, form (single, digest) and result (ok, rate_limited, retry, dead, rejected).',
        labelNames: ['channel', 'form', 'result'] as const,
      }),
      delivered: getOrCreateCounter(registry, {
        name: 'alerting_notifications_delivered_total',
        help: 'Outbox rows delivered, by channel and form (single, digest).',
        labelNames: ['channel', 'form'] as const,
      }),
      passes: getOrCreateCounter(registry, {
        name: 'alerting_dispatcher_passes_total',
        help: 'Dispatcher passes over the outbox, by channel and result (worked, idle, failed): a loop that stops counting has stalled.',
        labelNames: ['channel', 'result'] as const,
      }),
      recipientsRejected: getOrCreateCounter(registry, {
        name: 'alerting_email_recipients_rejected_total',
        help: 'Recipients an SMTP server refused while it accepted the message for the others, by channel (email, ops_email).',
        labelNames: ['channel'] as const,
      }),
      parked: getOrCreateCounter(registry, {
        name: 'alerting_notifications_parked_total',
        help: 'Times an outbox row was parked, by channel and reason (retries_exhausted, rejected: the destination refused this message, destination_dead).',
        labelNames: ['channel', 'reason'] as const,
      }),
      destinationUp: getOrCreateGauge(registry, {
        name: 'alerting_destination_up',
        help: DESTINATION_UP_HELP,
        labelNames: ['channel'] as const,
      }),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.slack) this.logger.info('SLACK_WEBHOOK_URL is not set: Slack notifications are disabled');
    if (!this.mailer) this.logger.info('SMTP_URL is not set: e-mail notifications are disabled');
    if (this.slack) await this.register('slack', this.config.SLACK_WEBHOOK_URL!);
    if (this.mailer) await this.register('email', `${this.config.SMTP_URL}|${this.config.ALERT_EMAIL_TO}`);
    if (this.opsSlack) await this.register('ops_slack', this.config.OPS_SLACK_WEBHOOK_URL!);
    if (this.opsMailer) await this.register('ops_email', `${this.config.SMTP_URL}|${this.config.OPS_EMAIL_TO}`);
    this.running = true;
    if (this.slack) this.loops.push(this.loop('slack', () => this.slackPass()));
    if (this.mailer) this.loops.push(this.loop('email', () => this.emailPass('email', this.mailer!)));
    if (this.opsSlack) this.loops.push(this.loop('ops_slack', () => this.opsSlackPass()));
    if (this.opsMailer) this.loops.push(this.loop('ops_email', () => this.emailPass('ops_email', this.opsMailer!)));
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    for (const wake of this.wake.splice(0)) wake();
    await Promise.all(this.loops);
    this.mailer?.close();
    this.opsMailer?.close();
  }

  /** Creates today's e-mail digest of the alerts waiting for it (at most one per day across instances). */
  async createEmailDigest(now = new Date()): Promise<{ digest_key: string; created: boolean; alerts: number }> {
    const key = `email-digest:${digestDayOf(now)}`;
    if (!this.mailer) return { digest_key: key, created: false, alerts: 0 };
    const digest = await this.notifications.createDigest(this.database, 'email', key);
    if (digest) this.logger.info({ digest_key: key, notification_id: digest.id, alerts: digest.items }, 'e-mail digest created');
    this.wakeUp();
    return { digest_key: key, created: Boolean(digest), alerts: digest?.items ?? 0 };
  }

  async reviveDestination(channel: NotificationChannel): Promise<number> {
    const unparked = await this.notifications.reviveDestination(this.database, channel);
    this.metrics.destinationUp.set({ channel }, 1);
    this.logger.warn({ channel, unparked }, 'destination revived by an operator');
    this.wakeUp();
    return unparked;
  }

  private async register(channel: NotificationChannel, secret: string): Promise<void> {
    // The fingerprint tells a changed URL from the same one without storing the secret.
    const fingerprint = createHash('sha256').update(secret).digest('hex').slice(0, 16);
    const destination = await this.notifications.ensureDestination(this.database, channel, fingerprint);
    this.metrics.destinationUp.set({ channel }, destination.status === 'up' ? 1 : 0);
    if (destination.status === 'dead') {
      this.logger.error(
        { channel, reason: destination.dead_reason, since: destination.dead_since },
        'destination is marked dead: its notifications stay parked until it is revived',
      );
    }
  }

  private async loop(channel: NotificationChannel, pass: () => Promise<boolean>): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await pass();
        this.metrics.passes.inc({ channel, result: worked ? 'worked' : 'idle' });
      } catch (error) {
        this.metrics.passes.inc({ channel, result: 'failed' });
        this.logger.warn({ channel, err: error }, 'dispatcher pass failed; retrying');
      }
      if (!worked && this.running) await this.sleep(this.config.NOTIFY_POLL_INTERVAL_MS);
    }
  }

  private async slackPass(): Promise<boolean> {
    const claimed = await this.notifications.claimDue(this.database, {
      channel: 'slack',
      limit: this.config.SLACK_DIGEST_MAX_ALERTS,
      owner: this.owner,
      leaseMs: this.config.SLACK_TIMEOUT_MS + 30_000,
      slotMs: 1000 / this.config.SLACK_MAX_MESSAGES_PER_SECOND,
    });
    if (claimed.length === 0) return false;
    const alerts = await this.alertsOf(claimed);
    const form = alerts.length === 1 ? 'single' : 'digest';
    const payload = form === 'single' ? slackAlertMessage(alerts[0]!, this.config.DASHBOARD_URL) : slackDigestMessage(alerts, this.config.DASHBOARD_URL);
    const result = await this.slack!.post(payload);
    await this.record('slack', claimed, result, form, form === 'single' ? 'slack' : `slack-digest:${claimed[0]!.id}`);
    return true;
  }

  /** Model alerts, one message per send slot: they are rare, and each stands on its own. */
  private async opsSlackPass(): Promise<boolean> {
    const claimed = await this.notifications.claimDue(this.database, {
      channel: 'ops_slack',
      limit: 1,
      owner: this.owner,
      leaseMs: this.config.SLACK_TIMEOUT_MS + 30_000,
      slotMs: 1000 / this.config.SLACK_MAX_MESSAGES_PER_SECOND,
    });
    const row = claimed[0];
    if (!row) return false;
    const alert = await this.modelAlerts.findById(this.database, row.model_alert_id!);
    const result = await this.opsSlack!.post(slackModelAlertMessage(alert!));
    await this.record('ops_slack', claimed, result, 'single', 'ops_slack');
    return true;
  }

  private async emailPass(channel: 'email' | 'ops_email', mailer: SmtpMailer): Promise<boolean> {
    if (channel === 'email') await this.maybeCreateDailyDigest();
    // One message: connection, greeting and the commands each within SMTP_TIMEOUT_MS of silence.
    const leaseMs = this.config.SMTP_TIMEOUT_MS * 3 + 30_000;
    const claimed = await this.notifications.claimDue(this.database, { channel, limit: this.config.EMAIL_BATCH_SIZE, owner: this.owner, leaseMs });
    if (claimed.length === 0) return false;
    const queue = [...claimed];
    // After a dead destination, a timeout or a connection error the rest of the claim is given back
    // untouched: a stalled server costs one SMTP_TIMEOUT_MS per pass, not one per row.
    let stop = false;
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        if (stop || !this.running) {
          await this.notifications.release(this.database, [row.id], this.owner);
          continue;
        }
        // Rows wait their turn behind the others of the claim: each starts its send with a full
        // lease, and one whose claim ran out (another instance may have it now) is not sent here.
        if (!(await this.notifications.renewClaim(this.database, row.id, this.owner, leaseMs))) {
          this.logger.warn({ channel, notification_id: row.id }, 'claim expired before its turn; left to whoever holds it now');
          continue;
        }
        const result = await this.sendEmail(mailer, row);
        if (result.kind === 'dead' || result.kind === 'retry') stop = true;
        await this.record(channel, [row], result, row.kind === 'digest' ? 'digest' : 'single', row.kind === 'digest' ? row.idempotency_key : channel);
      }
    };
    await Promise.all(Array.from({ length: EMAIL_CONCURRENCY }, worker));
    return true;
  }

  private async sendEmail(mailer: SmtpMailer, row: ClaimedNotification): Promise<DeliveryResult> {
    if (row.kind === 'model_alert') {
      const alert = await this.modelAlerts.findById(this.database, row.model_alert_id!);
      return mailer.send(modelAlertEmail(alert!), row.idempotency_key);
    }
    if (row.kind === 'digest') {
      const ids = await this.notifications.digestAlertIds(this.database, row.id);
      const alerts = await this.alerts.findByIds(this.database, ids);
      const order = new Map(ids.map((id, i) => [id, i]));
      alerts.sort((a, b) => order.get(a.alert_id)! - order.get(b.alert_id)!);
      const day = row.idempotency_key.replace(/^email-digest:/, '');
      return mailer.send(digestEmail(alerts, day, this.config.DASHBOARD_URL), row.idempotency_key);
    }
    const [alert] = await this.alertsOf([row]);
    return mailer.send(alertEmail(alert!, this.config.DASHBOARD_URL), row.idempotency_key);
  }

  private async maybeCreateDailyDigest(): Promise<void> {
    const now = new Date();
    if (now.getTime() - this.lastDigestCheck < DIGEST_CHECK_INTERVAL_MS) return;
    this.lastDigestCheck = now.getTime();
    if (now.getUTCHours() >= this.config.ALERT_EMAIL_DIGEST_HOUR_UTC) await this.createEmailDigest(now);
  }

  private async alertsOf(claimed: readonly ClaimedNotification[]): Promise<AlertRow[]> {
    const rows = await this.alerts.findByIds(
      this.database,
      claimed.map((c) => c.alert_id!),
    );
    const byId = new Map(rows.map((r) => [r.alert_id, r]));
    return claimed.map((c) => byId.get(c.alert_id!)!);
  }

  private async record(
    channel: NotificationChannel,
    claimed: readonly ClaimedNotification[],
    result: DeliveryResult,
    form: 'single' | 'digest',
    via: string,
  ): Promise<void> {
    this.metrics.messages.inc({ channel, form, result: result.kind });
    const ids = claimed.map((c) => c.id);
    const alertIds = claimed.map((c) => c.alert_id).filter(Boolean);
    const modelAlertIds = claimed.map((c) => c.model_alert_id).filter(Boolean);
    const subjects = modelAlertIds.length > 0 ? { model_alert_ids: modelAlertIds } : { alert_ids: alertIds };
    if (result.kind === 'ok') {
      const rejected = result.rejectedRecipients ?? [];
      const held = await this.markSentDurably(channel, ids, via, rejected, form);
      this.metrics.delivered.inc({ channel, form }, held.length);
      if (held.length < ids.length) {
        // The lease ran out before the answer came: another instance may have sent these again.
        this.logger.warn({ channel, notification_ids: ids.filter((id) => !held.includes(id)) }, 'delivered after the claim expired');
      }
      if (rejected.length > 0) {
        this.metrics.recipientsRejected.inc({ channel }, rejected.length);
        this.logger.warn(
          { channel, rejected_recipients: rejected, ...subjects, notification_ids: ids },
          'the SMTP server refused some recipients; the others received the message',
        );
      }
      this.logger.info({ channel, form, via, ...subjects, notification_ids: ids }, 'notification delivered');
      return;
    }
    if (result.kind === 'rate_limited') await this.notifications.holdDestination(this.database, channel, result.retryAfterMs);
    if (result.kind === 'dead') {
      await this.notifications.markDestinationDead(this.database, channel, result.error);
      this.metrics.destinationUp.set({ channel }, 0);
      this.logger.error(
        { channel, reason: result.error, ...subjects },
        'destination marked dead: nothing more is sent to it until an operator revives it or changes its configuration',
      );
    }
    // A refused digest says nothing about which alert Slack did not take: its rows go out one by one.
    const split = result.kind === 'rejected' && claimed.length > 1;
    const failures: FailedAttempt[] = claimed.map((row) => {
      const attempts = row.attempts + 1;
      if (split) return { id: row.id, status: 'pending', delayMs: 0, error: `${result.error} (in a digest; sent on its own next)`, sendAlone: true };
      const park = result.kind === 'dead' || result.kind === 'rejected' || attempts >= this.config.NOTIFY_MAX_ATTEMPTS;
      const delayMs = park
        ? this.config.NOTIFY_PARKED_RETRY_MS
        : result.kind === 'rate_limited'
          ? result.retryAfterMs
          : backoffDelayMs(attempts, this.config.NOTIFY_BACKOFF_BASE_MS, this.config.NOTIFY_BACKOFF_MAX_MS);
      return { id: row.id, status: park ? 'parked' : 'pending', delayMs, error: result.error };
    });
    const failure = result.kind;
    await this.database.transaction(async (tx) => {
      await this.notifications.markFailed(tx, this.owner, failures);
      for (const parked of [true, false]) {
        const ids = failures.filter((f) => (f.status === 'parked') === parked).map((f) => f.id);
        if (ids.length > 0) await this.facts.record(tx, ids, { outcome: 'failed', failure, parked, form, at: new Date() });
      }
    });
    this.factsRelay.nudge();
    const parked = failures.filter((f) => f.status === 'parked').length;
    if (parked > 0)
      this.metrics.parked.inc(
        { channel, reason: result.kind === 'rejected' ? 'rejected' : result.kind === 'dead' ? 'destination_dead' : 'retries_exhausted' },
        parked,
      );
    this.logger.warn({ channel, form, result: result.kind, reason: result.error, ...subjects, notification_ids: ids, parked }, 'notification not delivered');
  }

  /**
   * The message is out; only the row still says pending. If Postgres is briefly away (a restart cut
   * the connection), giving up would let the claim's lease expire and the message go out again — the
   * chaos suite's Postgres restart showed exactly that duplicate. So the mark is retried while this
   * instance runs; the claim is ours for the lease, which outlasts a restart. Only the death of the
   * process leaves the documented window.
   */
  private async markSentDurably(
    channel: NotificationChannel,
    ids: readonly string[],
    via: string,
    rejectedRecipients: readonly string[],
    form: 'single' | 'digest',
  ): Promise<string[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        // The delivery fact commits with the mark: a row marked sent has its fact in the outbox.
        const held = await this.database.transaction(async (tx) => {
          const marked = await this.notifications.markSent(tx, ids, this.owner, via, rejectedRecipients);
          await this.facts.record(tx, marked, { outcome: 'sent', failure: null, parked: false, form, at: new Date() });
          return marked;
        });
        this.factsRelay.nudge();
        return held;
      } catch (error) {
        if (!this.running) throw error;
        this.logger.warn({ channel, attempt, err: error }, 'delivered, but could not mark the notification sent yet; retrying');
        await this.sleep(Math.min(200 * 2 ** attempt, 5000));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = this.wake.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.push(done);
    });
  }

  private wakeUp(): void {
    for (const wake of this.wake.splice(0)) wake();
  }
}
