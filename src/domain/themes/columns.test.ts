import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { profileColumn, suggestColumns } from './columns.ts';

const DATA = new URL('../../../../shared/data/comments/', import.meta.url);
const file = (name: string) => fileURLToPath(new URL(name, DATA));
const NHS = file('nhs-fft-phase1.csv');
const BANKING = file('banking77-test.csv');
const present = existsSync(NHS) && existsSync(BANKING);
const skipNote = present
  ? ''
  : ' (skipped: the public comment sets in ../shared/data/comments are absent)';

/** The first `n` rows of a real CSV, as the upload preview reads them. */
function readRows(path: string, n: number): { columns: string[]; rows: Record<string, string>[] } {
  const records = parse(readFileSync(path, 'utf8'), { to: n + 1 }) as string[][];
  const [columns = [], ...body] = records;
  return {
    columns,
    rows: body.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? '']))),
  };
}

describe('profileColumn', () => {
  it('tells flags, numbers, dates and free text apart', () => {
    const flag = profileColumn('x', ['0', '1', '1', '', '0']);
    expect(flag).toMatchObject({ booleanLike: true, flagValues: ['0', '1'], filled: 4 });
    expect(profileColumn('y', ['Yes', 'no', 'YES']).booleanLike).toBe(true);
    expect(profileColumn('z', ['0', '1', '2']).booleanLike).toBe(false);
    expect(profileColumn('n', ['-1', '3', '1,200', '2.5']).numericShare).toBe(1);
    expect(profileColumn('d', ['2026-03-31', '31/03/2026', 'soon']).dateShare).toBeCloseTo(2 / 3);
  });
});

describe.skipIf(!present)(`suggestColumns on the real comment sets${skipNote}`, () => {
  it('NHS patient feedback: the comments are the feedback, and no number or id is suggested', () => {
    const { columns, rows } = readRows(NHS, 2000);
    const { mapping, reasons } = suggestColumns(columns, rows);
    expect(mapping.text).toBe('feedback');
    expect(reasons.text).toMatch(/^Suggested because “feedback” holds long, varied text/);
    for (const role of ['date', 'channel', 'area', 'group'] as const)
      expect(mapping[role]).toBeUndefined();
  });

  it('an id named like a group is refused as near-unique, with its counts', () => {
    const { columns, rows } = readRows(NHS, 4500);
    // The file's row index under a name that used to be proposed as the respondent group.
    const renamed = columns.map((c) => (c === 'row_index' ? 'respondent_id' : c));
    const data = rows.map((r) => ({ ...r, respondent_id: r.row_index ?? '' }));
    const { mapping, reasons } = suggestColumns(renamed, data);
    expect(mapping.group).toBeUndefined();
    expect(reasons.group).toBe(
      'Not suggested as a group: “respondent_id” has 4,500 different values in 4,500 rows — looks like an id.',
    );
  });

  it('0/1 label columns and a score named like channel or area are never suggested', () => {
    const { rows } = readRows(BANKING, 3000);
    // One-hot label columns as multi-label sets have them, named so the old rule took them.
    const data = rows.map((r) => ({
      text: r.text ?? '',
      area_card: r.category?.startsWith('card') ? '1' : '0',
      source_flag: r.category === 'card_arrival' ? 'yes' : 'no',
      channel_score: String((r.text ?? '').length % 7),
      category: r.category ?? '',
    }));
    const columns = ['text', 'area_card', 'source_flag', 'channel_score', 'category'];
    const { mapping, reasons } = suggestColumns(columns, data);
    expect(mapping).toEqual({
      text: 'text',
      date: undefined,
      channel: undefined,
      area: undefined,
      group: undefined,
    });
    expect(reasons.area).toBe(
      'Not suggested as an area: “area_card” holds only 0 and 1 — a yes/no flag, not an area.',
    );
    expect(reasons.channel).toContain('“source_flag” holds only no and yes');
    expect(reasons.channel).toContain('“channel_score” holds numbers (100 %');
  });
});

describe('suggestColumns', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    id: String(1000 + i),
    when: i % 10 === 0 ? 'not given' : `2026-0${1 + (i % 3)}-1${i % 10}`,
    how: ['web', 'phone', 'letter'][i % 3] ?? '',
    ward: ['North', 'South'][i % 2] ?? '',
    customer_group: ['resident', 'business'][i % 2] ?? '',
    said: `The bins were not collected on street number ${i} again this week`,
  }));
  const columns = ['id', 'when', 'how', 'ward', 'customer_group', 'said'];

  it('suggests dates only where values are dates, and labels where they repeat', () => {
    const { mapping, reasons } = suggestColumns(columns, rows);
    expect(mapping).toEqual({
      text: 'said',
      date: 'when',
      channel: undefined,
      area: 'ward',
      group: 'customer_group',
    });
    expect(reasons.date).toBe('Suggested because 90 % of the values of “when” are dates.');
    expect(reasons.area).toBe(
      'Suggested because of its name, and “ward” holds 2 different labels in the first 40 rows.',
    );
    expect(reasons.channel).toBeNull();
  });

  it('refuses a date column that is mostly not dates, saying how many were', () => {
    const fewer = rows.map((r, i) => ({ ...r, when: i % 2 === 0 ? 'soon' : r.when }));
    const { mapping, reasons } = suggestColumns(columns, fewer);
    expect(mapping.date).toBeUndefined();
    expect(reasons.date).toBe(
      'Not suggested as a date: only 50 % of the values of “when” read as dates (2026-03-31 or 31/03/2026).',
    );
  });

  it('says when no column is free text, and picks the longest', () => {
    const short = [{ a: 'yes', b: 'ok thanks' }];
    const { mapping, reasons } = suggestColumns(['a', 'b'], short);
    expect(mapping.text).toBe('b');
    expect(reasons.text).toMatch(/^No column looks like free text/);
  });
});
