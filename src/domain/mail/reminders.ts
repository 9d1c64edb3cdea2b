// When to remind someone who was invited by email to answer a round and has not yet sent their
// answers. Pure: plain data in, the reminders due out; storage records each one sent, so a
// reminder goes once at most whichever process runs the plan, however often.

/** One person invited by email to answer a round, as the planner needs them. */
export interface ReminderCandidate {
  readonly recipientId: string;
  /** The round's closing date, YYYY-MM-DD (the last day answers are accepted). */
  readonly closesOn: string;
  readonly roundStatus: string;
  readonly responseStatus: 'not_started' | 'in_progress' | 'submitted';
  readonly revoked: boolean;
  /** When the invitation reached the mail server (ISO date-time); null if it never did. */
  readonly invitationSentAt: string | null;
  /** False once the address has been removed. */
  readonly hasAddress: boolean;
  /** The reminders already sent, by their number of days before closing. */
  readonly remindersSent: readonly number[];
}

export interface DueReminder {
  readonly recipientId: string;
  /** Which reminder: the number of days before closing it belongs to. */
  readonly daysBefore: number;
  /** Whole days from today to the closing date (0: it closes today). */
  readonly daysLeft: number;
}

const DAY_MS = 86_400_000;

/** Whole days from `today` to `closesOn` (both YYYY-MM-DD); negative once the date has passed. */
export function daysUntil(today: string, closesOn: string): number {
  return Math.round(
    (Date.parse(`${closesOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS,
  );
}

/** The date `days` before `date` (YYYY-MM-DD). */
function daysBeforeDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The reminders due today. The rules:
 * - only while the round is open, for someone invited by email whose invitation arrived, whose
 *   address is still kept, who has not sent their answers and whose link was not withdrawn;
 * - reminders go `reminderDays` days before the closing date (e.g. 3 and 1); the one due is the
 *   nearest to closing whose day has come, so someone the service missed for a few days gets one
 *   reminder, not two at once;
 * - never one already sent, nor an earlier one after a later one;
 * - not if the invitation itself was sent on or after the day the reminder's window opened
 *   (someone invited two days before closing needs no "three days left" reminder).
 */
export function planReminders(
  candidates: readonly ReminderCandidate[],
  today: string,
  reminderDays: readonly number[],
): DueReminder[] {
  const days = [...new Set(reminderDays)].filter((d) => Number.isInteger(d) && d >= 0);
  days.sort((a, b) => a - b);
  const due: DueReminder[] = [];
  for (const c of candidates) {
    if (c.roundStatus !== 'open' || c.revoked || !c.hasAddress) continue;
    if (c.responseStatus === 'submitted' || c.invitationSentAt === null) continue;
    const daysLeft = daysUntil(today, c.closesOn);
    if (daysLeft < 0) continue;
    const daysBefore = days.find((d) => d >= daysLeft);
    if (daysBefore === undefined) continue;
    if (c.remindersSent.some((sent) => sent <= daysBefore)) continue;
    const windowOpens = daysBeforeDate(c.closesOn, daysBefore);
    if (c.invitationSentAt.slice(0, 10) >= windowOpens) continue;
    due.push({ recipientId: c.recipientId, daysBefore, daysLeft });
  }
  return due;
}
