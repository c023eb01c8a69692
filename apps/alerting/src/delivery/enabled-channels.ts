import type { NotificationChannel } from '@churn/alerting-data';

/** Which destinations are configured in this process (SLACK_WEBHOOK_URL, SMTP_URL, OPS_SLACK_WEBHOOK_URL, OPS_EMAIL_TO). */
export class EnabledChannels {
  constructor(
    readonly slack: boolean,
    readonly email: boolean,
    readonly opsSlack = false,
    readonly opsEmail = false,
  ) {}

  has(channel: NotificationChannel): boolean {
    return { slack: this.slack, email: this.email, ops_slack: this.opsSlack, ops_email: this.opsEmail }[channel];
  }
}

export const DESTINATION_UP_HELP =
  '1 while a configured destination accepts messages, 0 once it was marked dead (webhook removed, channel archived, SMTP login refused), by channel (slack, email, ops_slack, ops_email).';
