/** An acknowledgment's end as an open intervention: `expiryHours` after it was given. */
export function ackExpiresAt(acknowledgedAt: Date, expiryHours: number): Date {
  return new Date(acknowledgedAt.getTime() + expiryHours * 3_600_000);
}

/** Whether an alert still counts as an open intervention at `now` (acknowledged, and within the expiry). */
export function isOpenIntervention(status: string, acknowledgedAt: Date | null, expiryHours: number, now: Date): boolean {
  return status === 'acknowledged' && acknowledgedAt !== null && ackExpiresAt(acknowledgedAt, expiryHours).getTime() > now.getTime();
}
