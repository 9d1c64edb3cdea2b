import { describe, expect, it } from 'vitest';
import { groupNameClashes, groupNameKey, tidyGroupName } from './groups.ts';

describe('group names', () => {
  it('treats names that differ only in capitals, spaces or Unicode form as the same group', () => {
    expect(groupNameKey('Frontline  Staff ')).toBe(groupNameKey('frontline staff'));
    // A full-width letter and a non-breaking space are the same once normalised.
    expect(groupNameKey('ＨR\u00a0team')).toBe(groupNameKey('hr team'));
    expect(groupNameKey('Managers')).not.toBe(groupNameKey('Manager'));
  });

  it('names each clash with both spellings, in the order given', () => {
    const clashes = groupNameClashes(['Leadership', 'Managers', 'leadership', 'Managers']);
    expect(clashes.map((c) => c.message)).toEqual([
      '‘Leadership’ and ‘leadership’ are the same group (names are compared without regard to capitals or spaces): give each group a different name',
      '‘Managers’ is listed twice: give each group a different name',
    ]);
  });

  it('finds no clash among different names and ignores blank lines', () => {
    expect(groupNameClashes(['Leadership', '', '  ', 'Frontline staff'])).toEqual([]);
  });

  it('tidies a name without changing its capitals', () => {
    expect(tidyGroupName('  Digital   &  data ')).toBe('Digital & data');
  });
});
