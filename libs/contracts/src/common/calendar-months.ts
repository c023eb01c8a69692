/**
 * Whole calendar months from `start` to `end`, in UTC: from 2024-01-15 it is 1 until 2024-03-15, then 2.
 * A start on the 31st reaches its monthly anniversary on the last day of shorter months.
 * Written here rather than taken from date-fns because date-fns counts in the process's local time
 * zone, and tenure must not depend on where a service runs.
 */
export function wholeCalendarMonths(start: Date, end: Date): number {
  if (end.getTime() <= start.getTime()) return 0;
  let months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + (end.getUTCMonth() - start.getUTCMonth());
  if (addCalendarMonths(start, months).getTime() > end.getTime()) months -= 1;
  return Math.max(0, months);
}

/** `date` moved by `months` calendar months, the day clamped to the target month's length. */
export function addCalendarMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const daysInTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(year, month, Math.min(date.getUTCDate(), daysInTarget), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
}
