import { z } from 'zod';

/** A non-empty string without NUL: Postgres text cannot hold one, so it is refused here (a dead letter naming the field) rather than failing a consumer's insert. */
export const nulFreeText = () =>
  z
    .string()
    .min(1)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain a NUL character' });
