/** Which integrations are configured in this process (SLACK_WEBHOOK_URL, SMTP_URL). */
export class EnabledChannels {
  constructor(
    readonly slack: boolean,
    readonly email: boolean,
  ) {}
}

export const DESTINATION_UP_HELP =
  '1 while a configured destination accepts messages, 0 once it was marked dead (webhook removed, channel archived, SMTP login refused).';
