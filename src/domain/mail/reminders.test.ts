import { describe, expect, it } from 'vitest';
import { daysUntil, planReminders, type ReminderCandidate } from './index.ts';

const base: ReminderCandidate = {
  recipientId: 'r1',
  closesOn: '2027-03-31',
  roundStatus: 'open',
  responseStatus: 'not_started',
  revoked: false,
  invitationSentAt: '2027-03-01T09:00:00.000Z',
  hasAddress: true,
  remindersSent: [],
};
const DAYS = [3, 1];

describe('planReminders', () => {
  it('counts whole days to the closing date', () => {
    expect(daysUntil('2027-03-28', '2027-03-31')).toBe(3);
    expect(daysUntil('2027-03-31', '2027-03-31')).toBe(0);
    expect(daysUntil('2027-04-01', '2027-03-31')).toBe(-1);
  });

  it('sends nothing before the first reminder day', () => {
    expect(planReminders([base], '2027-03-27', DAYS)).toEqual([]);
  });

  it('sends the 3-day reminder 3 days before, then the 1-day one the day before', () => {
    expect(planReminders([base], '2027-03-28', DAYS)).toEqual([
      { recipientId: 'r1', daysBefore: 3, daysLeft: 3 },
    ]);
    expect(planReminders([{ ...base, remindersSent: [3] }], '2027-03-29', DAYS)).toEqual([]);
    expect(planReminders([{ ...base, remindersSent: [3] }], '2027-03-30', DAYS)).toEqual([
      { recipientId: 'r1', daysBefore: 1, daysLeft: 1 },
    ]);
  });

  it('never sends a reminder twice, nor an earlier one after a later one', () => {
    expect(planReminders([{ ...base, remindersSent: [3] }], '2027-03-28', DAYS)).toEqual([]);
    expect(planReminders([{ ...base, remindersSent: [1] }], '2027-03-31', DAYS)).toEqual([]);
  });

  it('sends one reminder, the nearest to closing, after days were missed', () => {
    expect(planReminders([base], '2027-03-31', DAYS)).toEqual([
      { recipientId: 'r1', daysBefore: 1, daysLeft: 0 },
    ]);
  });

  it('reminds only people who have not answered, while the round is open', () => {
    const people: ReminderCandidate[] = [
      { ...base, recipientId: 'answered', responseStatus: 'submitted' },
      { ...base, recipientId: 'started', responseStatus: 'in_progress' },
      { ...base, recipientId: 'withdrawn', revoked: true },
      { ...base, recipientId: 'removed', hasAddress: false },
      { ...base, recipientId: 'never-sent', invitationSentAt: null },
      { ...base, recipientId: 'closed', roundStatus: 'closed' },
      { ...base, recipientId: 'finalised', roundStatus: 'finalised' },
    ];
    expect(planReminders(people, '2027-03-28', DAYS).map((d) => d.recipientId)).toEqual([
      'started',
    ]);
  });

  it('sends nothing after the closing date', () => {
    expect(planReminders([base], '2027-04-01', DAYS)).toEqual([]);
  });

  it('does not remind someone invited after the reminder’s window opened', () => {
    const late = { ...base, invitationSentAt: '2027-03-29T10:00:00.000Z' };
    expect(planReminders([late], '2027-03-29', DAYS)).toEqual([]);
    expect(planReminders([late], '2027-03-30', DAYS)).toEqual([
      { recipientId: 'r1', daysBefore: 1, daysLeft: 1 },
    ]);
    const lastDay = { ...base, invitationSentAt: '2027-03-30T10:00:00.000Z' };
    expect(planReminders([lastDay], '2027-03-31', DAYS)).toEqual([]);
  });
});
