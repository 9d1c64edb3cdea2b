// Reads a CSV of people to invite to a round by email (columns `email` and `group`), checking the
// whole file before anything is made or sent: every problem is reported with its row number (as a
// spreadsheet numbers rows, the header being row 1), duplicates are merged, and a file with too
// many rows is refused.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/** The most people one file may invite (larger lists: split them). */
export const MAX_INVITES_PER_FILE = 200;

export const inviteEmail = z
  .string()
  .trim()
  .min(1, 'Enter an email address')
  .max(320, 'Email address must be 320 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.org'))
  .transform((e) => e.toLowerCase());

export interface ParsedInvite {
  readonly row: number;
  readonly email: string;
  readonly groupId: string;
}

export type InviteCsvResult =
  | { readonly ok: true; readonly invites: readonly ParsedInvite[]; readonly duplicates: number }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Reads the file against the round's groups (names compared without regard to case). */
export function readInviteCsv(
  text: string,
  groups: readonly { id: string; name: string }[],
): InviteCsvResult {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      ok: false,
      problems: [
        `The file could not be read as CSV${line ? ` (near row ${line})` : ''}: check that it was saved as CSV, with quotes closed`,
      ],
    };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const emailAt = header.indexOf('email');
  const groupAt = header.indexOf('group');
  if (emailAt < 0 || groupAt < 0) {
    return {
      ok: false,
      problems: ['The first row must name the columns: email, group'],
    };
  }
  const rows = records.slice(1);
  if (rows.length === 0)
    return { ok: false, problems: ['The file has no one to invite under its first row'] };
  if (rows.length > MAX_INVITES_PER_FILE) {
    return {
      ok: false,
      problems: [
        `The file has ${rows.length} rows: invite ${MAX_INVITES_PER_FILE} people or fewer at a time (split the file)`,
      ],
    };
  }
  const byName = new Map(groups.map((g) => [g.name.trim().toLowerCase(), g]));
  const problems: string[] = [];
  const seen = new Map<string, ParsedInvite>();
  let duplicates = 0;
  rows.forEach((cells, i) => {
    const row = i + 2;
    const email = inviteEmail.safeParse(cells[emailAt] ?? '');
    const groupName = (cells[groupAt] ?? '').trim();
    const group = byName.get(groupName.toLowerCase());
    if (!email.success) {
      const value = (cells[emailAt] ?? '').trim();
      problems.push(
        value === ''
          ? `Row ${row}: enter an email address`
          : `Row ${row}: “${value.slice(0, 80)}” is not an email address in the correct format`,
      );
    }
    if (groupName === '') problems.push(`Row ${row}: enter a group`);
    else if (!group)
      problems.push(
        `Row ${row}: “${groupName.slice(0, 80)}” is not a group of this round (the groups are ${groups.map((g) => g.name).join(', ')})`,
      );
    if (!email.success || !group) return;
    const earlier = seen.get(email.data);
    if (earlier) {
      if (earlier.groupId !== group.id)
        problems.push(
          `Row ${row}: ${email.data} is also on row ${earlier.row} with a different group: a person answers in one group`,
        );
      else duplicates++;
      return;
    }
    seen.set(email.data, { row, email: email.data, groupId: group.id });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, invites: [...seen.values()], duplicates };
}
