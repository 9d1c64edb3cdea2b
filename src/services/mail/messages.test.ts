import { describe, expect, it } from 'vitest';
import {
  longDate,
  memberInvitation,
  minutesToAnswer,
  passwordResetMessage,
  reminder,
  respondentInvitation,
  wrap,
} from './messages.ts';

const flat = (text: string) => text.replace(/\s+/g, ' ');

const LINK = 'https://throughline.example/respond/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd';

function expectPlain(text: string) {
  for (const line of text.split('\n')) {
    if (line !== LINK && !line.startsWith('https://')) expect(line.length).toBeLessThanOrEqual(72);
  }
  expect(text).not.toMatch(/<[a-z]+[\s>]/i);
  expect(text).not.toMatch(/<img|utm_|pixel/i);
}

describe('mail messages', () => {
  it('writes dates and wraps lines as GOV.UK plain text', () => {
    expect(longDate('2027-03-31')).toBe('Wednesday 31 March 2027');
    expect(
      wrap('a '.repeat(60).trim(), 10)
        .split('\n')
        .every((l) => l.length <= 10),
    ).toBe(true);
    expect(minutesToAnswer(12)).toBe(25);
    expect(minutesToAnswer(1)).toBe(5);
  });

  it('invites a respondent: who sent it, the round, its closing date, how long, the link', () => {
    const m = respondentInvitation({
      organisationName: 'Demo Borough Council',
      senderName: 'Alex Morgan',
      roundTitle: 'Baseline 2027',
      groupName: 'Frontline staff',
      closesOn: '2027-03-31',
      capabilities: 12,
      link: LINK,
    });
    expect(m.subject).toBe('Please answer: Baseline 2027 (closes Wednesday 31 March 2027)');
    expect(flat(m.text)).toContain('Alex Morgan at Demo Borough Council');
    expect(flat(m.text)).toContain('"Baseline 2027"');
    expect(flat(m.text)).toContain('"Frontline staff"');
    expect(flat(m.text)).toContain('about 25 minutes');
    expect(flat(m.text)).toContain('31 March 2027');
    expect(m.text).toContain(`\n${LINK}\n`);
    expectPlain(m.text);
  });

  it('reminds with the days left, saved answers kept, and says the new link replaces the old', () => {
    const common = {
      organisationName: 'Demo Borough Council',
      roundTitle: 'Baseline 2027',
      closesOn: '2027-03-31',
      capabilities: 12,
      link: LINK,
    };
    const three = reminder({ ...common, daysLeft: 3, started: false });
    expect(three.subject).toBe(
      'Reminder: Baseline 2027 closes in 3 days, on Wednesday 31 March 2027',
    );
    expect(flat(three.text)).toContain('about 25 minutes');
    expect(flat(three.text)).toContain('replaces the one in our earlier email');
    const one = reminder({ ...common, daysLeft: 1, started: true });
    expect(one.subject).toContain('closes tomorrow');
    expect(flat(one.text)).toContain('The answers you have saved are kept');
    expect(reminder({ ...common, daysLeft: 0, started: false }).subject).toContain('closes today');
    expectPlain(three.text);
    expectPlain(one.text);
  });

  it('invites a member with their role, the expiry and the link', () => {
    const m = memberInvitation({
      organisationName: 'Demo Borough Council',
      senderName: 'Sam Admin',
      inviteeName: 'Jo Bloggs',
      role: 'admin',
      roleDescription: 'Manages members, roles, invitations and API tokens',
      expiresAt: '2027-03-14T10:00:00.000Z',
      link: LINK,
    });
    expect(m.subject).toBe('Join Demo Borough Council on Throughline');
    expect(flat(m.text)).toContain('Hello Jo Bloggs,');
    expect(flat(m.text)).toContain('as an admin: manages members');
    expect(flat(m.text)).toContain('Sunday 14 March 2027');
    expect(m.text).toContain(`\n${LINK}\n`);
    expectPlain(m.text);
  });
});

describe('password reset message', () => {
  it('says who it is for, gives the link on its own line, how long it works and what to do if unasked', () => {
    const link =
      'https://throughline.example/reset-password/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd';
    const message = passwordResetMessage({ name: 'Alex Morgan', link, minutes: 60 });
    expect(message.subject).toBe('Reset your Throughline password');
    expect(message.text.split('\n')).toContain(link);
    expect(message.text).toContain('Hello Alex Morgan,');
    expect(flat(message.text)).toContain('The link works once, for 1 hour.');
    expect(flat(message.text)).toContain(
      'you can ignore this email: your password has not changed',
    );
    expectPlain(message.text);
    expect(flat(passwordResetMessage({ name: 'A', link, minutes: 30 }).text)).toContain(
      'for 30 minutes',
    );
    expect(flat(passwordResetMessage({ name: 'A', link, minutes: 120 }).text)).toContain(
      'for 2 hours',
    );
  });
});
