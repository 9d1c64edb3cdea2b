// Rules for invitations by email: when reminders before a round's closing date are due.
export { daysUntil, planReminders, type DueReminder, type ReminderCandidate } from './reminders.ts';
