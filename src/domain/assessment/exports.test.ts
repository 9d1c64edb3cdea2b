// CSV and JSON exports (issue 3, point 9): RFC 4180 quoting, levels as numbers and names, no hidden groups.
import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { csvField, CSV_COLUMNS, resultsToCsv, roundReport } from './exports.ts';
import { summariseRound } from './results.ts';
import { answersFor } from './testAnswers.ts';

const CAP = 'organisational-learning';
const groups = [
  { id: 'lead', name: 'Leadership' },
  { id: 'dig', name: 'Digital, "data" &\nanalytics' },
  { id: 'tiny', name: 'Tiny team' },
];
const answers = [
  ...answersFor(CAP, 'lead', [2, 2, 3]),
  ...answersFor(CAP, 'dig', [4, 4, 4, null]),
  ...answersFor(CAP, 'tiny', [1, 1]),
];
const summary = summariseRound(defaultFramework, 'organisation', answers, groups);

/** A tiny RFC 4180 reader, enough to check what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  return rows;
}

describe('csvField', () => {
  it('quotes as RFC 4180 asks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(2.5)).toBe('2.5');
    expect(csvField(null)).toBe('');
  });
  it('stops a spreadsheet running text as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@cmd')).toBe("'@cmd");
  });
});

describe('resultsToCsv', () => {
  const csv = resultsToCsv(defaultFramework, summary.results);
  const rows = parseCsv(csv);

  it('has plain-word columns and CRLF line ends', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('writes a row for all respondents, then each visible group, with levels as numbers and names', () => {
    const learning = rows.filter((row) => row[3] === 'Organisational Learning');
    // Leadership (3 ratings) is hidden as well as the tiny team: all respondents minus the digital
    // group minus Leadership would otherwise give the tiny team's two ratings.
    expect(learning.map((row) => row[4])).toEqual([
      'All respondents',
      'Digital, "data" &\nanalytics',
    ]);
    const [all, dig] = learning;
    // 2 2 3 4 4 4 1 1 → sorted 1 1 2 2 3 4 4 4: median 2.5 → 3; hinges 1.5 and 4.
    expect(all?.slice(0, 17)).toEqual([
      'hoskins-2025',
      '1.1.0',
      '1',
      'Organisational Learning',
      'All respondents',
      '9',
      '8',
      '1',
      '3',
      'Adequate',
      '2.5',
      '1.5',
      '4',
      '2.5',
      '1',
      '4',
      'yes',
    ]);
    expect(all?.slice(17, 22)).toEqual(['2', '2', '1', '3', '0']);
    // Nothing agreed: no agreed level, and the effective level is the median, said so.
    expect(all?.slice(22, 26)).toEqual(['', '3', 'Adequate', 'median']);
    expect(dig?.slice(4, 11)).toEqual([
      'Digital, "data" &\nanalytics',
      '4',
      '3',
      '1',
      '4',
      'Needs Improvement',
      '4',
    ]);
  });

  it('never writes a row for a hidden group', () => {
    expect(csv).not.toContain('Tiny team');
  });
});

describe('roundReport', () => {
  const report = roundReport(defaultFramework, summary, {
    round: { id: 'round-1', title: 'Spring 2026' },
    agreed: [{ capabilityId: CAP, agreedLevel: 2, evidenceStrength: 'asserted', rationale: '' }],
    targets: { [CAP]: 1 },
  });

  it('is plain JSON with a versioned format and the framework version', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report).toMatchObject({
      format: 'throughline.assessment-results',
      formatVersion: 1,
      framework: { id: 'hoskins-2025', version: '1.1.0' },
      scope: 'organisation',
      round: { id: 'round-1', title: 'Spring 2026' },
    });
    expect(report.methods.minGroupSize).toBe(3);
    expect(report.capabilities).toHaveLength(5);
  });

  it('carries the agreed level with its flags, and the distance to target from the agreed level', () => {
    const learning = report.capabilities[0];
    expect(learning?.agreed?.flags.map((flag) => flag.code)).toEqual([
      'high-claim-without-evidence',
      'differs-from-consensus',
      'missing-rationale',
      'disagreement',
    ]);
    expect(learning?.target?.text).toBe('1 level to go to reach your target of 1 Outstanding');
    expect(report.capabilities[1]?.agreed).toBeNull();
    expect(report.capabilities[1]?.target).toBeNull();
  });

  it('lists the attention order without repeating every result', () => {
    expect(report.attention[0]).not.toHaveProperty('result');
    expect(report.attention.map((entry) => entry.capabilityId)).toEqual(
      summary.attention.map((entry) => entry.capabilityId),
    );
  });
});

describe('the evidence rule override in the CSV (issue 12, point 4)', () => {
  it('names who overrode the rule and why on the all-respondents row, in the last column', () => {
    const rows = parseCsv(
      resultsToCsv(defaultFramework, summary.results, [
        {
          capabilityId: CAP,
          agreedLevel: 2,
          evidenceOverride: {
            reason: 'Audit, due in May',
            byName: 'Alex Morgan',
            at: '2026-01-01',
          },
        },
      ]),
    );
    expect(rows[0]?.at(-1)).toBe('Evidence rule override');
    const all = rows.find((row) => row[4] === 'All respondents');
    expect(all?.at(-1)).toBe('Evidence rule overridden by Alex Morgan: Audit, due in May');
    const groupRows = rows.slice(1).filter((row) => row[4] !== 'All respondents');
    expect(groupRows.length).toBeGreaterThan(0);
    expect(groupRows.every((row) => row.at(-1) === '')).toBe(true);
    expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
  });
});
