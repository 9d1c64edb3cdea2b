// The comment → theme CSV: quoting, formula cells made harmless, and one row per comment in order.
import { describe, expect, it } from 'vitest';
import { csvCell, csvExport } from './export.ts';

describe('CSV export', () => {
  it('quotes commas, quotes and new lines, and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+44 20')).toBe("'+44 20");
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
  });

  it('writes one row per comment with its theme or why it has none', () => {
    const csv = csvExport(
      [
        {
          row: 1,
          line: 2,
          text: 'Bins missed',
          date: '2026-01-02',
          channel: 'web',
          area: null,
          group: null,
          themeKey: 'theme-1',
          reason: null,
        },
        {
          row: 2,
          line: 3,
          text: 'Bins missed',
          date: null,
          channel: null,
          area: null,
          group: null,
          themeKey: null,
          reason: 'duplicate',
        },
        {
          row: 3,
          line: 4,
          text: 'Odd one',
          date: null,
          channel: null,
          area: null,
          group: null,
          themeKey: null,
          reason: 'other',
        },
      ],
      [
        {
          key: 'theme-1',
          position: 0,
          label: 'Missed bins',
          keyWords: 'bins — missed',
          description: 'Comments often mention missed bins.',
          similarTo: null,
          parent: null,
          keyPhrases: [],
          size: 1,
          share: 1,
          cohesion: 1,
          quotes: [],
          trend: null,
        },
      ],
    );
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toEqual([
      'row,line,date,channel,area,respondent_group,comment,theme_id,theme,theme_key_words,status,' +
        'stance,also_mentions,sentiment,broad_theme_id,broad_theme',
      '1,2,2026-01-02,web,,,Bins missed,theme-1,Missed bins,bins — missed,theme,,,,,',
      '2,3,,,,,Bins missed,,,,set aside: repeat of an earlier comment,,,,,',
      '3,4,,,,,Odd one,,,,other: fits no theme,,,,,',
    ]);
  });
});
