import { z } from 'zod';
import { instant } from '../reports/report-request';

const DAY_MS = 86_400_000;
export const ROI_BUCKETS = ['day', 'week'] as const;
export type RoiBucket = (typeof ROI_BUCKETS)[number];
const BUCKET_MS: Readonly<Record<RoiBucket, number>> = { day: DAY_MS, week: 7 * DAY_MS };
/** At most this many points per series: a year of days, or about eight years of weeks. */
export const MAX_ROI_BUCKETS = 366;

/** `GET /v1/metrics/roi/series?from=&to=&bucket=day|week`: the period [from, to) cut into buckets from `from`. */
export const roiSeriesQuerySchema = z
  .object({ from: instant, to: instant, bucket: z.enum(ROI_BUCKETS).default('day') })
  .strict()
  .superRefine((q, ctx) => {
    if (q.to.getTime() <= q.from.getTime()) return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
    if (bucketCount(q.from, q.to, q.bucket) > MAX_ROI_BUCKETS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the period holds more than ${MAX_ROI_BUCKETS} ${q.bucket}s: use bucket=week or a shorter period`,
      });
    }
  });
export type RoiSeriesQuery = z.output<typeof roiSeriesQuerySchema>;

function bucketCount(from: Date, to: Date, bucket: RoiBucket): number {
  return Math.ceil((to.getTime() - from.getTime()) / BUCKET_MS[bucket]);
}

/**
 * The buckets [from + i·size, from + (i+1)·size), the last one cut at `to`: fixed 24-hour or 7-day
 * steps from the caller's `from`, so a caller that sends its local midnight gets its local days
 * (a daylight-saving change moves the later boundaries by that hour).
 */
export function roiBuckets(from: Date, to: Date, bucket: RoiBucket): { from: Date; to: Date }[] {
  const size = BUCKET_MS[bucket];
  const buckets: { from: Date; to: Date }[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += size) {
    buckets.push({ from: new Date(start), to: new Date(Math.min(start + size, to.getTime())) });
  }
  return buckets;
}
