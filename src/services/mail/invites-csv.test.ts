import { describe, expect, it } from 'vitest';
import { MAX_INVITES_PER_FILE, readInviteCsv } from './invites-csv.ts';

const GROUPS = [
  { id: 'g1', name: 'Leadership' },
  { id: 'g2', name: 'Frontline staff' },
];

describe('readInviteCsv', () => {
  it('reads email and group in any column order, groups without regard to case', () => {
    const r = readInviteCsv(
      '\uFEFFGroup,Email\r\nleadership, Ann@Example.org \r\nFrontline staff,bob@example.org\r\n\r\n',
      GROUPS,
    );
    expect(r).toEqual({
      ok: true,
      duplicates: 0,
      invites: [
        { row: 2, email: 'ann@example.org', groupId: 'g1' },
        { row: 3, email: 'bob@example.org', groupId: 'g2' },
      ],
    });
  });

  it('refuses the whole file, naming each bad row as a spreadsheet numbers it', () => {
    const r = readInviteCsv(
      'email,group\nann@example.org,Leadership\nnot-an-email,Leadership\nbob@example.org,Managers\n,Leadership\n',
      GROUPS,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'Row 3: “not-an-email” is not an email address in the correct format',
      'Row 4: “Managers” is not a group of this round (the groups are Leadership, Frontline staff)',
      'Row 5: enter an email address',
    ]);
  });

  it('merges the same person twice in one group, refuses them in two groups', () => {
    const same = readInviteCsv(
      'email,group\nann@example.org,Leadership\nANN@example.org,leadership\n',
      GROUPS,
    );
    expect(same).toMatchObject({ ok: true, duplicates: 1 });
    const two = readInviteCsv(
      'email,group\nann@example.org,Leadership\nann@example.org,Frontline staff\n',
      GROUPS,
    );
    expect(two).toEqual({
      ok: false,
      problems: [
        'Row 3: ann@example.org is also on row 2 with a different group: a person answers in one group',
      ],
    });
  });

  it('needs the header, at least one person, and no more than the cap', () => {
    expect(readInviteCsv('ann@example.org,Leadership\n', GROUPS)).toEqual({
      ok: false,
      problems: ['The first row must name the columns: email, group'],
    });
    expect(readInviteCsv('email,group\n', GROUPS)).toMatchObject({ ok: false });
    const many = ['email,group'];
    for (let i = 0; i <= MAX_INVITES_PER_FILE; i++) many.push(`p${i}@example.org,Leadership`);
    const r = readInviteCsv(many.join('\n'), GROUPS);
    expect(r).toEqual({
      ok: false,
      problems: [
        `The file has ${MAX_INVITES_PER_FILE + 1} rows: invite ${MAX_INVITES_PER_FILE} people or fewer at a time (split the file)`,
      ],
    });
  });

  it('says when the file is not CSV', () => {
    const r = readInviteCsv('email,group\n"ann@example.org,Leadership\n', GROUPS);
    expect(r.ok).toBe(false);
  });
});
