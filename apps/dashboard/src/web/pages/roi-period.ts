import type { RoiBucket } from '../workspace-api';

/** The ROI page's period: whole local days [from, to], as the picker shows them and the URL keeps them. */
export interface RoiPeriod {
  /** First day, `YYYY-MM-DD`, in the viewer's time zone. */
  readonly from: string;
  /** Last day included. */
  readonly to: string;
  readonly bucket: RoiBucket;
}

export const PRESETS = [
  { id: '7d', label: 'Last 7 days', days: 7, bucket: 'day' },
  { id: '30d', label: 'Last 30 days', days: 30, bucket: 'day' },
  { id: '90d', label: 'Last 90 days', days: 90, bucket: 'week' },
  { id: '365d', label: 'Last 12 months', days: 365, bucket: 'week' },
] as const;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local midnight starting `day`. */
export function startOfDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d!);
}

/** The period ending today, `days` long. */
export function presetPeriod(days: number, bucket: RoiBucket, today = new Date()): RoiPeriod {
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: localDay(from), to: localDay(today), bucket };
}

/** From the URL (`#/roi?from=&to=&bucket=`), else the last 30 days. */
export function periodFromParams(params: URLSearchParams): RoiPeriod {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const bucket = params.get('bucket') === 'week' ? 'week' : 'day';
  if (DAY_PATTERN.test(from) && DAY_PATTERN.test(to)) return { from, to, bucket };
  return presetPeriod(30, 'day');
}

export function paramsOf(period: RoiPeriod): URLSearchParams {
  return new URLSearchParams({ from: period.from, to: period.to, bucket: period.bucket });
}

/** The API's half-open period [from's midnight, the midnight after `to`). */
export function apiBounds(period: RoiPeriod): { from: Date; to: Date } {
  const end = startOfDay(period.to);
  return { from: startOfDay(period.from), to: new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1) };
}
