/** Milliseconds from `now` to the next midnight in `timeZone` (an IANA name), daylight-saving changes included. */
export function msUntilMidnight(timeZone: string, now: number): number {
  const offset = (at: number) => wallClock(timeZone, at) - at;
  const wallNow = wallClock(timeZone, now);
  const nextMidnightWall = Math.floor(wallNow / 86_400_000) * 86_400_000 + 86_400_000;
  // The wall clock runs `offset` ahead of UTC; the offset at midnight can differ from now's (DST).
  let at = nextMidnightWall - offset(now);
  at = nextMidnightWall - offset(at);
  return Math.max(1000, at - now);
}

/** The wall-clock time in `timeZone` at `at`, as if it were UTC epoch milliseconds. */
function wallClock(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'), at % 1000);
}
