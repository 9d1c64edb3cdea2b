// Which column of a comments file holds what (issue 14, point 6): a suggestion for the
// column-mapping page, from the columns' names and what their first rows hold, with the reason for
// each choice in plain words. A name alone is not enough: a 0/1 label column named "area_housing"
// is not an area, a score is not a channel, and an id named "respondent_id" with a different value
// on every row is not a respondent group. Pure: the upload code reads the rows, this decides.
import type { ColumnMapping } from './import.ts';
import { parseCommentDate } from './trend.ts';

/** The thresholds the suggestion uses, each with why. */
export const COLUMN_RULES = {
  /** A date column: at least 90 % of its filled values read as dates (a few typos allowed). */
  minDateShare: 0.9,
  /** A number column: at least 95 % of its filled values are numbers. */
  minNumericShare: 0.95,
  /**
   * Near-unique (an id, not a group): on average a value seen fewer than twice (distinct ÷ filled
   * ≥ 0.5) once there are at least 20 filled rows to judge by — a breakdown by groups that each hold
   * one or two comments shows nothing — or more than 100 different values at any size, more groups
   * than anyone can read in a breakdown.
   */
  maxDistinctRatio: 0.5,
  minRowsForRatio: 20,
  maxCategories: 100,
  /** Free text: on average at least 20 characters (a short sentence) … */
  minTextLength: 20,
  /** … and varied: at least a third of its filled values different from one another. */
  minTextDistinctRatio: 1 / 3,
} as const;

const BOOLEAN_VALUES = new Set(['0', '1', 'true', 'false', 'yes', 'no', 'y', 'n', 't', 'f']);
const NUMBER = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$|^[-+]?\.\d+$/;

/** What a column's sampled values look like. */
export interface ColumnProfile {
  readonly name: string;
  /** Rows sampled. */
  readonly rows: number;
  /** Rows with a value that is not blank. */
  readonly filled: number;
  /** Different values (trimmed, ignoring case). */
  readonly distinct: number;
  /** Only two values or fewer, all like 0/1, yes/no, true/false. */
  readonly booleanLike: boolean;
  /** Those values, when the column is yes/no-like (else empty). */
  readonly flagValues: readonly string[];
  readonly numericShare: number;
  readonly dateShare: number;
  readonly averageLength: number;
  /** Share of filled values with a letter in them. */
  readonly letterShare: number;
}

export function profileColumn(name: string, values: readonly string[]): ColumnProfile {
  const filled = values.map((v) => v.trim()).filter((v) => v !== '');
  const distinct = new Set(filled.map((v) => v.toLowerCase()));
  const share = (test: (v: string) => boolean) =>
    filled.length === 0 ? 0 : filled.filter(test).length / filled.length;
  const booleanLike =
    distinct.size > 0 && distinct.size <= 2 && [...distinct].every((v) => BOOLEAN_VALUES.has(v));
  return {
    name,
    rows: values.length,
    filled: filled.length,
    distinct: distinct.size,
    booleanLike,
    flagValues: booleanLike ? [...distinct].sort() : [],
    numericShare: share((v) => NUMBER.test(v)),
    dateShare: share((v) => parseCommentDate(v) !== undefined),
    averageLength: filled.reduce((s, v) => s + v.length, 0) / Math.max(filled.length, 1),
    letterShare: share((v) => /\p{L}/u.test(v)),
  };
}

const isNumeric = (p: ColumnProfile) =>
  p.filled > 0 && p.numericShare >= COLUMN_RULES.minNumericShare;
const isDate = (p: ColumnProfile) => p.filled > 0 && p.dateShare >= COLUMN_RULES.minDateShare;
const isNearUnique = (p: ColumnProfile) =>
  p.distinct > COLUMN_RULES.maxCategories ||
  (p.filled >= COLUMN_RULES.minRowsForRatio &&
    p.distinct / p.filled >= COLUMN_RULES.maxDistinctRatio);
const isFreeText = (p: ColumnProfile) =>
  p.filled > 0 &&
  p.letterShare >= 0.5 &&
  p.averageLength >= COLUMN_RULES.minTextLength &&
  p.distinct / p.filled >= COLUMN_RULES.minTextDistinctRatio;

export type ColumnRole = 'text' | 'date' | 'channel' | 'area' | 'group';

const ROLE_WORDS: Readonly<Record<ColumnRole, string>> = {
  text: 'the comments',
  date: 'a date',
  channel: 'a channel',
  area: 'an area',
  group: 'a group',
};

/** Column names that suggest each role (the name must also fit what the column holds). */
const NAMES: Readonly<Record<ColumnRole, RegExp>> = {
  text: /^(comment|comments|text|response|feedback|message|description|answer|free ?text)$/i,
  date: /date|submitted|received|created|when/i,
  channel: /channel|source|via|method/i,
  area: /area|ward|district|neighbourhood|location|postcode area/i,
  group: /group|respondent|type of (customer|respondent)|segment/i,
};

export interface ColumnSuggestions {
  readonly mapping: ColumnMapping;
  /** Why each role has the column it has, or why a likely-named column was not suggested. */
  readonly reasons: Readonly<Record<ColumnRole, string | null>>;
  readonly profiles: readonly ColumnProfile[];
}

const count = (n: number): string => n.toLocaleString('en-GB');
const percent = (share: number): string => `${Math.floor(share * 100)} %`;

/** Why a column cannot hold a category (channel, area or group), or null when it can. */
function notCategory(p: ColumnProfile, role: ColumnRole): string | null {
  const as = `Not suggested as ${ROLE_WORDS[role]}: “${p.name}”`;
  if (p.filled === 0) return `${as} is empty in the first ${count(p.rows)} rows.`;
  if (p.booleanLike)
    return `${as} holds only ${p.flagValues.join(' and ')} — a yes/no flag, not ${ROLE_WORDS[role]}.`;
  if (isNearUnique(p))
    return `${as} has ${count(p.distinct)} different values in ${count(p.filled)} rows — looks like an id.`;
  if (isNumeric(p)) return `${as} holds numbers (${percent(p.numericShare)} of its values).`;
  if (isDate(p)) return `${as} holds dates.`;
  if (isFreeText(p)) return `${as} holds long, varied text — it looks like comments.`;
  return null;
}

/**
 * Suggests which column holds what, from the column names and `rows` (the first rows of the file,
 * as read), each with its reason. Never a yes/no or number column as channel or area, never a
 * near-unique column as group, text only where it is free text, a date only where values are dates.
 */
export function suggestColumns(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, string>>[],
): ColumnSuggestions {
  const profiles = columns.map((c) =>
    profileColumn(
      c,
      rows.map((r) => r[c] ?? ''),
    ),
  );
  const byName = (role: ColumnRole) => profiles.filter((p) => NAMES[role].test(p.name));
  const sample = `the first ${count(rows.length)} rows`;
  const reasons: Record<ColumnRole, string | null> = {
    text: null,
    date: null,
    channel: null,
    area: null,
    group: null,
  };
  const taken = new Set<string>();

  // The comments: free text by name first, else the longest free text.
  const freeText = profiles.filter(isFreeText).sort((a, b) => b.averageLength - a.averageLength);
  let text = byName('text').find(isFreeText) ?? freeText[0];
  if (text) {
    reasons.text = `Suggested because “${text.name}” holds long, varied text: on average ${count(Math.round(text.averageLength))} characters, ${count(text.distinct)} different values in ${sample}.`;
  } else {
    // No free text: the column with the most letters per row, said plainly.
    text = [...profiles]
      .filter((p) => p.letterShare > 0)
      .sort((a, b) => b.averageLength - a.averageLength)[0];
    if (text)
      reasons.text = `No column looks like free text (long, varied values); “${text.name}” has the longest values (on average ${count(Math.round(text.averageLength))} characters). Check it is the comments.`;
  }
  if (text) taken.add(text.name);

  // The date: a named column whose values are dates, else the column most often dates.
  const named = byName('date').filter((p) => !taken.has(p.name));
  const date =
    named.find(isDate) ??
    profiles
      .filter((p) => !taken.has(p.name) && isDate(p))
      .sort((a, b) => b.dateShare - a.dateShare)[0];
  if (date) {
    reasons.date = `Suggested because ${percent(date.dateShare)} of the values of “${date.name}” are dates.`;
    taken.add(date.name);
  } else if (named[0]) {
    reasons.date = `Not suggested as a date: only ${percent(named[0].dateShare)} of the values of “${named[0].name}” read as dates (2026-03-31 or 31/03/2026).`;
  }

  // Categories: named like the role and holding a few repeated labels.
  const category = (role: ColumnRole): string | undefined => {
    const candidates = byName(role).filter((p) => !taken.has(p.name));
    const refusals: string[] = [];
    for (const p of candidates) {
      const why = notCategory(p, role);
      if (why === null) {
        taken.add(p.name);
        reasons[role] =
          `Suggested because of its name, and “${p.name}” holds ${count(p.distinct)} different label${p.distinct === 1 ? '' : 's'} in ${sample}.`;
        return p.name;
      }
      refusals.push(why);
    }
    reasons[role] = refusals.length > 0 ? refusals.join(' ') : null;
    return undefined;
  };
  const channel = category('channel');
  const area = category('area');
  const group = category('group');
  return {
    mapping: {
      text: text?.name ?? columns[0] ?? '',
      date: date?.name,
      channel,
      area,
      group,
    },
    reasons,
    profiles,
  };
}
