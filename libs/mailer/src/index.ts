export { emailAddress, emailAddressList, parseAddresses, smtpUrl } from './email-address';
export type { EmailContent, MailAttachment, MailResult } from './mail-content';
export { classifySmtpError, messageIdOf, SmtpMailer, smtpTransportOptions, type SendOptions, type SmtpMailerOptions } from './smtp.mailer';
export { escapeHtml } from './escape-html';
