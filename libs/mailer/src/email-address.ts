import { z } from 'zod';
import addressparser from 'nodemailer/lib/addressparser';

// local@domain, where the domain is a host name (a bare `localhost` is allowed for local servers).
const ADDRESS = /^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** The addresses of an address field (`a@x.org, Name <b@y.org>`), as nodemailer will read it. */
export function parseAddresses(field: string): { name: string; address: string }[] {
  return addressparser(field, { flatten: true });
}

function check(value: string, ctx: z.RefinementCtx, options: { single: boolean }): void {
  const addresses = parseAddresses(value);
  if (addresses.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must be an e-mail address' });
    return;
  }
  if (options.single && addresses.length > 1) ctx.addIssue({ code: 'custom', message: 'must be one e-mail address' });
  for (const { name, address } of addresses) {
    if (!ADDRESS.test(address)) ctx.addIssue({ code: 'custom', message: `"${address || name || value}" is not an e-mail address` });
  }
}

/** One address, optionally with a display name: `Churn Radar <alerts@example.com>`. */
export const emailAddress = z
  .string()
  .trim()
  .min(1)
  .superRefine((v, ctx) => check(v, ctx, { single: true }));

/** One or more addresses, comma-separated. */
export const emailAddressList = z
  .string()
  .trim()
  .min(1)
  .superRefine((v, ctx) => check(v, ctx, { single: false }));

/** An SMTP server with credentials, `smtp://user:pass@host:587` or `smtps://…:465` (nodemailer's connection URL). */
export const smtpUrl = z.string().regex(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' });
