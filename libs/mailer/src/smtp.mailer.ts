import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { EmailContent, MailAttachment, MailResult } from './mail-content';

export interface SmtpMailerOptions {
  readonly url: string;
  readonly from: string;
  /** Default recipients, comma-separated addresses. */
  readonly to: string;
  readonly timeoutMs: number;
}

/** Per-message extras: other recipients than the mailer's default, files attached. */
export interface SendOptions {
  readonly to?: string;
  readonly attachments?: readonly MailAttachment[];
}

const MAX_CONNECTIONS = 3;

/**
 * The pool's options, built from the URL and our timeouts together. nodemailer's `createTransport`
 * keeps nothing but the URL when it is given `url` (node_modules/nodemailer/lib/nodemailer.js:
 * `options = shared.parseConnectionUrl(urlConfig)` replaces the object), so pooling and the timeouts
 * would silently fall back to its defaults (socket timeout 10 min) and a stalled server would hold a
 * notification past its claim. Its own parser is used so the URL means what nodemailer documents
 * (smtps → secure, query options such as `?tls.rejectUnauthorized=false`); ours are applied last.
 */
export function smtpTransportOptions(options: Pick<SmtpMailerOptions, 'url' | 'timeoutMs'>): SMTPPool.Options & { maxRequeues: number } {
  return {
    ...parseConnectionUrl(options.url),
    pool: true,
    maxConnections: MAX_CONNECTIONS,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    // A connection that closes while sending would otherwise be re-queued inside the pool without
    // limit (lib/smtp-pool/index.js, `_shouldRequeuOnConnectionClose`), past the outbox claim; the
    // outbox owns retries.
    maxRequeues: 0,
  };
}

/** The Message-ID of the mail sent under an idempotency key: the same key, the same id. */
export function messageIdOf(idempotencyKey: string): string {
  return `<${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '.')}@churn-radar>`;
}

/**
 * SMTP through a nodemailer connection pool. The Message-ID is derived from the outbox key, so that
 * in the rare case of a second delivery (crash between the server's 250 and our bookkeeping) mail
 * clients can recognise the duplicate.
 */
export class SmtpMailer {
  readonly transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

  constructor(private readonly options: SmtpMailerOptions) {
    // `maxRequeues` is read by the pool but missing from @types/nodemailer.
    this.transport = nodemailer.createTransport(smtpTransportOptions(options) as SMTPPool.Options);
  }

  async send(content: EmailContent, idempotencyKey: string, extras: SendOptions = {}): Promise<MailResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: extras.to ?? this.options.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        ...(extras.attachments?.length
          ? { attachments: extras.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) }
          : {}),
        messageId: messageIdOf(idempotencyKey),
        headers: { 'X-Churn-Radar-Notification': idempotencyKey },
      });
      const rejected = (info.rejected ?? []).map(addressOf);
      return rejected.length > 0 ? { kind: 'ok', rejectedRecipients: rejected } : { kind: 'ok' };
    } catch (error) {
      return classifySmtpError(error as SmtpError);
    }
  }

  close(): void {
    this.transport.close();
  }
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; rejected?: (string | { address: string })[] };

function addressOf(recipient: string | { address: string }): string {
  return typeof recipient === 'string' ? recipient : recipient.address;
}

/**
 * Authentication failures and refused sender/recipients need an operator: the destination is dead.
 * Other 5xx answers refuse this one message (parked). 4xx, timeouts and connection errors are retried.
 */
export function classifySmtpError(error: {
  code?: string;
  responseCode?: number;
  response?: string;
  message: string;
  rejected?: (string | { address: string })[];
}): MailResult {
  const rejected = error.rejected?.length ? ` (rejected: ${error.rejected.map(addressOf).join(', ')})` : '';
  const text = `${error.code ?? 'ERROR'}${error.responseCode ? ` ${error.responseCode}` : ''}: ${(error.response ?? error.message).slice(0, 200)}${rejected}`;
  const status = error.responseCode ?? 0;
  if (error.code === 'EAUTH' || (error.code === 'EENVELOPE' && status >= 500)) return { kind: 'dead', error: text };
  if (status >= 500) return { kind: 'rejected', error: text };
  return { kind: 'retry', error: text };
}
