/** Number, money and time formats of the web workspace (Intl; times in the viewer's time zone); one place, so pages and tests read the same text. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const compactMoney = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 });

export const DASH = '—';

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : integer.format(value);
}

export function formatDecimal(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? DASH : value.toFixed(digits);
}

export function formatMoney(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return Math.abs(value) >= 1_000_000 ? compactMoney.format(value) : money.format(value);
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? DASH : `${(value * 100).toFixed(digits)} %`;
}

export function formatMultiple(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : `${value.toFixed(2)}×`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? DASH
    : date.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
}

export function formatAge(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}

export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return value < 0.001 ? '< 0.001' : value.toFixed(3);
}

/** A [low, high] interval, each end with `show`. */
export function formatRange(range: readonly [number, number] | null | undefined, show: (v: number) => string): string {
  return range ? `${show(range[0])} – ${show(range[1])}` : DASH;
}

/** A day in the viewer's time zone (periods and buckets). */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? DASH : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
