import { z } from 'zod';

/**
 * `GET /v1/session`: `{ oidc: false }` when sign-in is off (bearer tokens only); otherwise not signed in
 * (with where to sign in), or the person, their roles, the CSRF token to send in `x-csrf-token` and when the session ends.
 */
export const sessionAnswerSchema = z.union([
  z.object({ oidc: z.literal(false) }),
  z.object({ oidc: z.literal(true), signed_in: z.literal(false), login_url: z.string() }),
  z.object({
    oidc: z.literal(true),
    signed_in: z.literal(true),
    subject: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    roles: z.array(z.string()).readonly(),
    csrf_token: z.string(),
    expires_at: z.string(),
    idle_expires_at: z.string(),
  }),
]);
export type SessionAnswer = z.infer<typeof sessionAnswerSchema>;
