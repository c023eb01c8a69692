import { z } from 'zod';

/**
 * An ISO-8601 timestamp that carries its zone (`Z` or `±hh:mm`) and that the JavaScript date
 * parser agrees is a real instant (format checks alone accept e.g. month 13 in some forms).
 */
export const zonedTimestamp = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 timestamp with zone' })
  .refine((value) => Number.isFinite(Date.parse(value)), { message: 'is not a parseable time' });

/** A calendar date (YYYY-MM-DD) or a zoned timestamp, as billing systems send either for periods. */
export const periodBoundary = z.union([z.iso.date(), zonedTimestamp]);

export const nonNegativeAmount = z.number().finite().nonnegative({ message: 'must not be negative' });
