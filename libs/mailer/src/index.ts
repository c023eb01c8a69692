export { emailAddress, emailAddressList, parseAddresses } from './email-address';
export type { EmailContent, MailAttachment, MailResult } from './mail-content';
export { classifySmtpError, SmtpMailer, smtpTransportOptions, type SendOptions, type SmtpMailerOptions } from './smtp.mailer';
