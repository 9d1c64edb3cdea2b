// Respondent group names (issue 12, point 11). Two names that differ only in capitals, spacing or
// Unicode form ("Frontline staff", "frontline  Staff") name the same group: answers split between
// them would make two small groups out of one, and both could fall below the minimum size and be
// hidden. Names are compared in one normal form and a clash is reported in words, never merged
// silently.

/** The form two group names are compared in: Unicode NFKC, spaces collapsed, case folded. */
export function groupNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en-GB');
}

/** A group name as stored: trimmed, inner runs of spaces collapsed, as typed otherwise. */
export function tidyGroupName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ');
}

export interface GroupNameClash {
  /** The name as first given. */
  readonly first: string;
  /** A later name that is the same group. */
  readonly repeated: string;
  readonly message: string;
}

/**
 * Every name that repeats an earlier one when compared in `groupNameKey` form, in the order given.
 * An exact repeat is a clash too: the person may have meant two different groups.
 */
export function groupNameClashes(names: readonly string[]): GroupNameClash[] {
  const seen = new Map<string, string>();
  const clashes: GroupNameClash[] = [];
  for (const name of names) {
    const key = groupNameKey(name);
    if (key === '') continue;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, name);
      continue;
    }
    const a = tidyGroupName(first);
    const b = tidyGroupName(name);
    clashes.push({
      first,
      repeated: name,
      message:
        a === b
          ? `‘${a}’ is listed twice: give each group a different name`
          : `‘${a}’ and ‘${b}’ are the same group (names are compared without regard to capitals or spaces): give each group a different name`,
    });
  }
  return clashes;
}
