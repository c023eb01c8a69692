/** One e-mail's subject and bodies (plain text and HTML alternatives of the same content). */
export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A file sent with a mail (a report's PDF, for instance). */
export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** What one send came to, in the terms a sender acts on. */
export type MailResult =
  /** Accepted; `rejectedRecipients`: addresses the server refused while taking the message for the others. */
  | { readonly kind: 'ok'; readonly rejectedRecipients?: readonly string[] }
  /** 4xx, timeout, connection failure: try again after a back-off. */
  | { readonly kind: 'retry'; readonly error: string }
  /** The destination will not accept anything until an operator acts (bad login, refused sender or recipients). */
  | { readonly kind: 'dead'; readonly error: string }
  /** This message will never be accepted (a 5xx on its content); the destination keeps receiving others. */
  | { readonly kind: 'rejected'; readonly error: string };
