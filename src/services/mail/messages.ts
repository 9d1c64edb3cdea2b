// The emails the product sends, as pure functions of plain data: a subject and a plain-text body
// with short lines, no HTML and nothing that tracks the reader. Each says who sent it, what it is
// about, by when, how long it takes, and the link.
import { MONTH_NAMES, WEEKDAY_NAMES } from '../../lib/dates.ts';

export interface MailMessage {
  readonly subject: string;
  readonly text: string;
}

/** `2027-03-31` → `Wednesday 31 March 2027` (GOV.UK style). */
export function longDate(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return `${WEEKDAY_NAMES[date.getUTCDay()] ?? ''} ${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()}`;
}

/** Wraps a paragraph at `width` characters (a long word, such as a link, keeps its own line). */
export function wrap(paragraph: string, width = 72): string {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** Paragraphs wrapped and separated by blank lines; a link stands alone on its line. */
function body(...paragraphs: (string | false | undefined)[]): string {
  return (
    paragraphs
      .filter((p): p is string => typeof p === 'string' && p !== '')
      .map((p) => (/^https?:\/\//.test(p) ? p : wrap(p)))
      .join('\n\n') + '\n'
  );
}

/** About two minutes a capability, rounded to five minutes (at least 5). */
export function minutesToAnswer(capabilities: number): number {
  return Math.max(5, Math.round((capabilities * 2) / 5) * 5);
}

export interface RespondentInvitationInput {
  readonly organisationName: string;
  readonly senderName: string;
  readonly roundTitle: string;
  readonly groupName: string;
  readonly closesOn: string;
  readonly capabilities: number;
  readonly link: string;
}

export function respondentInvitation(input: RespondentInvitationInput): MailMessage {
  const closes = longDate(input.closesOn);
  return {
    subject: `Please answer: ${input.roundTitle} (closes ${closes})`,
    text: body(
      'Hello,',
      `${input.senderName} at ${input.organisationName} has asked you to answer "${input.roundTitle}", an assessment of ${input.capabilities} capabilities an organisation needs to use AI well. You are answering as one of the group "${input.groupName}".`,
      `It takes about ${minutesToAnswer(input.capabilities)} minutes. You can stop and come back: your answers are saved as you go. Please send them by the end of ${closes}.`,
      'Your personal link:',
      input.link,
      'The link is for you only: it reaches only your own answers and needs no account. Your answers are counted with the rest of your group and are not shown with your name or email address.',
      `If you were not expecting this email, you can ignore it, or contact ${input.senderName} at ${input.organisationName}.`,
      `${input.organisationName}, through Throughline`,
    ),
  };
}

export interface ReminderInput {
  readonly organisationName: string;
  readonly roundTitle: string;
  readonly closesOn: string;
  readonly daysLeft: number;
  readonly started: boolean;
  readonly capabilities: number;
  readonly link: string;
}

function whenCloses(daysLeft: number, closes: string): string {
  if (daysLeft <= 0) return `closes today, ${closes}`;
  if (daysLeft === 1) return `closes tomorrow, ${closes}`;
  return `closes in ${daysLeft} days, on ${closes}`;
}

export function reminder(input: ReminderInput): MailMessage {
  const closes = longDate(input.closesOn);
  return {
    subject: `Reminder: ${input.roundTitle} ${whenCloses(input.daysLeft, closes)}`,
    text: body(
      'Hello,',
      `This is a reminder from ${input.organisationName}: "${input.roundTitle}" ${whenCloses(input.daysLeft, closes)}, and you have not sent your answers yet.`,
      input.started
        ? 'The answers you have saved are kept: the link takes you back to where you left off.'
        : `It takes about ${minutesToAnswer(input.capabilities)} minutes, and your answers are saved as you go.`,
      'Your personal link:',
      input.link,
      'This link replaces the one in our earlier email, which no longer works. It is for you only and needs no account.',
      'If you have already answered in another way, or were not expecting this email, you can ignore it.',
      `${input.organisationName}, through Throughline`,
    ),
  };
}

export interface MemberInvitationInput {
  readonly organisationName: string;
  readonly senderName: string;
  readonly inviteeName: string;
  readonly role: string;
  readonly roleDescription: string;
  readonly expiresAt: string;
  readonly link: string;
}

export function memberInvitation(input: MemberInvitationInput): MailMessage {
  return {
    subject: `Join ${input.organisationName} on Throughline`,
    text: body(
      `Hello ${input.inviteeName},`,
      `${input.senderName} has invited you to join ${input.organisationName} on Throughline as ${/^[aeiou]/i.test(input.role) ? 'an' : 'a'} ${input.role}: ${input.roleDescription.charAt(0).toLowerCase()}${input.roleDescription.slice(1)}.`,
      'Throughline helps public bodies find where their services are held up, assess the capabilities they need to use AI well, and decide which AI initiatives they are ready for.',
      `To join, open this link and choose a password. It takes about 2 minutes. The link works once, until ${longDate(input.expiresAt)}:`,
      input.link,
      `If you were not expecting this email, you can ignore it, or contact ${input.senderName} at ${input.organisationName}.`,
      `${input.organisationName}, through Throughline`,
    ),
  };
}

export interface PasswordResetInput {
  readonly name: string;
  readonly link: string;
  /** How long the link works. */
  readonly minutes: number;
}

/** A link to set a new password, asked for on the "Forgotten your password?" page. */
export function passwordResetMessage(input: PasswordResetInput): MailMessage {
  const within =
    input.minutes % 60 === 0
      ? `${input.minutes / 60} ${input.minutes === 60 ? 'hour' : 'hours'}`
      : `${input.minutes} minutes`;
  return {
    subject: 'Reset your Throughline password',
    text: body(
      `Hello ${input.name},`,
      'Someone, probably you, asked to reset the password of your Throughline account. To choose a new password, open this link:',
      input.link,
      `The link works once, for ${within}. When you set a new password you are signed out everywhere, and you sign in again with the new one.`,
      'If you did not ask for this, you can ignore this email: your password has not changed. If it keeps happening, tell an admin of your organisation.',
      'Throughline',
    ),
  };
}
