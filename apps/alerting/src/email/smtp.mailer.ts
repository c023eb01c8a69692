import nodemailer, { type Transporter } from 'nodemailer';
import type { DeliveryResult } from '../slack/slack-webhook.client';
import type { EmailContent } from './email-message';

export interface SmtpMailerOptions {
  readonly url: string;
  readonly from: string;
  readonly to: string;
  readonly timeoutMs: number;
}

/**
 * SMTP through a nodemailer connection pool. The Message-ID is derived from the outbox key, so that
 * in the rare case of a second delivery (crash between the server's 250 and our bookkeeping) mail
 * clients can recognise the duplicate.
 */
export class SmtpMailer {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpMailerOptions) {
    this.transport = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: 3,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    } as never);
  }

  async send(content: EmailContent, idempotencyKey: string): Promise<DeliveryResult> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: this.options.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '.')}@churn-radar>`,
        headers: { 'X-Churn-Radar-Notification': idempotencyKey },
      });
      return { kind: 'ok' };
    } catch (error) {
      return classifySmtpError(error as Error & { code?: string; responseCode?: number; response?: string });
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Authentication failures and refused sender/recipients need an operator: the destination is dead.
 * Other 5xx answers refuse this one message (parked). 4xx, timeouts and connection errors are retried.
 */
export function classifySmtpError(error: { code?: string; responseCode?: number; response?: string; message: string }): DeliveryResult {
  const text = `${error.code ?? 'ERROR'}${error.responseCode ? ` ${error.responseCode}` : ''}: ${(error.response ?? error.message).slice(0, 200)}`;
  const status = error.responseCode ?? 0;
  if (error.code === 'EAUTH' || (error.code === 'EENVELOPE' && status >= 500)) return { kind: 'dead', error: text };
  if (status >= 500) return { kind: 'rejected', error: text };
  return { kind: 'retry', error: text };
}
