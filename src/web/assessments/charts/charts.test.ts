// Output checks for the accessible SVG charts: title and description, escaping, printed levels,
// axis words that put Better at the Outstanding end, readable text sizes, contrast and determinism.
import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../../../domain/framework/index.ts';
import { summariseRound } from '../../../domain/assessment/index.ts';
import type { Answer, Level } from '../../../domain/assessment/index.ts';
import {
  contrastRatio,
  EMPTY_SWATCH,
  escapeXml,
  heatMapSvg,
  heatMapTable,
  HIDDEN_SWATCH,
  LEVEL_SWATCHES,
  levelX,
  MIN_FONT_SIZE,
  profileChartSvg,
  profileTable,
  safeId,
  wrapText,
} from './index.ts';
import { SECONDARY_TEXT_COLOUR, TEXT_COLOUR, WHITE } from '../../charts/svg.ts';

const groups = [
  { id: 'lead', name: 'Leadership' },
  { id: 'evil', name: '<script>&"' },
  { id: 'tiny', name: 'Tiny team' },
];

let n = 0;
function answers(capabilityId: string, groupId: string, levels: (Level | null)[]): Answer[] {
  return levels.map((level) => ({
    responseId: `r${(n += 1)}`,
    groupId,
    capabilityId,
    level,
    indicatorsSeen: [],
    evidence: '',
    confidence: null,
  }));
}

const summary = summariseRound(
  defaultFramework,
  'organisation',
  [
    ...answers('organisational-learning', 'lead', [2, 2, 2]),
    ...answers('organisational-learning', 'evil', [4, 4, 5]),
    ...answers('organisational-learning', 'tiny', [1]),
    // Answers in no listed group: with them the hidden rest is 3 ratings, so no second group is
    // hidden to stop the tiny team being worked out by subtraction (disclosure.ts).
    ...answers('organisational-learning', 'unlisted', [2, 2]),
    ...answers('managing-supplier-relations', 'tiny', [3, 3, 3]),
    ...answers('managing-risk', 'lead', [1, 3, 3, 4, 5]),
  ],
  groups,
);
const heatInput = {
  framework: defaultFramework,
  results: summary.results,
  groups,
  minGroupSize: 3,
  idPrefix: 'round 7 heat',
};
const heat = heatMapSvg(heatInput);
const profileInput = {
  framework: defaultFramework,
  results: summary.results,
  targets: { 'managing-risk': 2 as Level },
};
const profile = profileChartSvg(profileInput);

/** The visible text of every <text> element (tspans joined), unescaped. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((match) =>
    (match[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

function textX(svg: string, text: string): number {
  const match = new RegExp(`<text x="([\\d.]+)"[^>]*>${text}</text>`).exec(svg);
  if (!match) throw new Error(`no text "${text}"`);
  return Number(match[1]);
}

describe('escapeXml', () => {
  it('escapes the five XML characters and drops control characters', () => {
    expect(escapeXml(`<script>&"'`)).toBe('&lt;script&gt;&amp;&quot;&apos;');
    expect(escapeXml('a\u0000b\u0007c\td')).toBe('abc\td');
  });
});

describe('safeId and wrapText', () => {
  it('make ids without spaces that start with a letter', () => {
    expect(safeId('round 7 heat')).toBe('round-7-heat');
    expect(safeId('7"x')).toBe('chart-7-x');
  });
  it('wrap at word boundaries and cut over-long words', () => {
    expect(wrapText('Developing New Ways of Working', 12)).toEqual([
      'Developing',
      'New Ways of',
      'Working',
    ]);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 4)).toEqual(['']);
  });
});

describe.each([
  ['heat map', heat],
  ['profile chart', profile],
])('%s: accessibility basics', (_name, svg) => {
  it('is an image labelled by its own title and description', () => {
    const open = /^<svg [^>]*>/.exec(svg)?.[0] ?? '';
    expect(open).toContain('role="img"');
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(open)?.[1]?.split(' ') ?? [];
    expect(labelledBy).toHaveLength(2);
    expect(svg).toMatch(new RegExp(`<title id="${labelledBy[0]}">[^<]+</title>`));
    expect(svg).toMatch(new RegExp(`<desc id="${labelledBy[1]}">[^<]+</desc>`));
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('uses no text smaller than 12px', () => {
    const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(MIN_FONT_SIZE);
  });

  it('balances its text elements and never emits raw markup from data', () => {
    expect(svg.match(/<text/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
    expect(svg).not.toContain('<script');
  });

  it('says in words that 1 Outstanding is the best level', () => {
    expect(svg).toMatch(/1 = Outstanding is (the )?best|1 Outstanding is best/);
  });
});

describe('colour contrast', () => {
  it('keeps every text colour at 4.5:1 or more against its fill', () => {
    for (const swatch of [...Object.values(LEVEL_SWATCHES), HIDDEN_SWATCH, EMPTY_SWATCH]) {
      expect(contrastRatio(swatch.fill, swatch.text)).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('keeps text on the white background at 4.5:1 or more', () => {
    for (const colour of [TEXT_COLOUR, SECONDARY_TEXT_COLOUR]) {
      expect(contrastRatio(colour, WHITE)).toBeGreaterThanOrEqual(4.5);
    }
    // Every fill colour used for text in either chart is one of the checked ones.
    const checked = new Set([TEXT_COLOUR, SECONDARY_TEXT_COLOUR, WHITE]);
    for (const svg of [heat, profile]) {
      for (const match of svg.matchAll(/<text[^>]* fill="(#[0-9a-f]{6})"/g)) {
        expect(checked).toContain(match[1]);
      }
    }
  });
  it('computes the WCAG ratio', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});

describe('heatMapSvg', () => {
  it('escapes a group named <script>&"', () => {
    expect(heat).toContain('&lt;script&gt;&amp;&quot;');
    expect(texts(heat)).toContain('<script>&"');
  });

  it('prints the level number and name in each visible cell, and "hidden" for small groups', () => {
    const all = texts(heat);
    // Organisational learning: all respondents 2 2 2 4 4 5 1 2 2 → median 2; Leadership 2; evil group 4.
    expect(all).toContain('2 Good');
    expect(all).toContain('4 Needs Improvement');
    expect(all.filter((text) => text === 'hidden (privacy rule)').length).toBeGreaterThan(0);
    expect(all).toContain('no ratings');
    expect(heat).toContain(
      'Key: 1 = Outstanding is best, 5 = Inadequate is worst (lower is better)',
    );
  });

  it('uses the id prefix for its title and description', () => {
    expect(heat).toContain('aria-labelledby="round-7-heat-title round-7-heat-desc"');
  });

  it('is deterministic', () => {
    expect(heatMapSvg(heatInput)).toBe(heat);
  });

  it('has a table with the same figures', () => {
    const table = heatMapTable(heatInput);
    expect(table.head).toEqual([
      'Capability',
      'All respondents',
      'Leadership',
      '<script>&"',
      'Tiny team',
    ]);
    expect(table.rows[0]).toEqual([
      'Organisational Learning',
      '2 Good',
      '2 Good',
      '4 Needs Improvement',
      'hidden (privacy rule)',
    ]);
    expect(table.rows[3]).toEqual([
      'Managing Risk',
      '3 Adequate',
      '3 Adequate',
      'hidden (privacy rule)',
      'hidden (privacy rule)',
    ]);
    for (const row of table.rows) {
      for (const cell of row.slice(1)) {
        if (/^\d/.test(cell)) expect(texts(heat)).toContain(cell);
      }
    }
  });
});

describe('profileChartSvg', () => {
  it('puts "Better" at the Outstanding end, on the left, and "Worse" at the Inadequate end', () => {
    expect(textX(profile, '← Better')).toBeLessThan(levelX(2));
    expect(textX(profile, 'Worse →')).toBeGreaterThan(levelX(4));
    expect(levelX(1)).toBeLessThan(levelX(5));
    const all = texts(profile);
    expect(all).toContain('Outstanding');
    expect(all).toContain('Inadequate');
    expect(all).toContain('Needs Improvement');
  });

  it('plots positions, never bars', () => {
    // The only rectangle is the white background.
    expect(profile.match(/<rect/g)?.length).toBe(1);
  });

  it('places the dot at the consensus, the whisker on the quartiles and the target diamond', () => {
    // Managing risk: 1 3 3 4 5 → median 3, hinges 3 and 4; target 2.
    expect(profile).toContain(`<circle cx="${levelX(3)}"`);
    expect(profile).toMatch(
      new RegExp(`<line x1="${levelX(3)}" y1="([\\d.]+)" x2="${levelX(4)}" y2="\\1"`),
    );
    expect(profile).toContain(`<path d="M ${levelX(2)} `);
    expect(texts(profile)).toContain('Consensus 3 Adequate; target 2 Good');
    expect(texts(profile)).toContain('no ratings');
  });

  it('is deterministic', () => {
    expect(profileChartSvg(profileInput)).toBe(profile);
  });

  it('has a table with the same figures', () => {
    const table = profileTable(profileInput);
    expect(table.rows[3]).toEqual([
      'Managing Risk',
      '3 Adequate',
      '3 to 4 (1)',
      'No',
      '2 Good',
      '1 level to go to reach your target of 2 Good',
    ]);
    expect(table.rows[1]).toEqual([
      'Planning & Prioritisation',
      'no ratings',
      '–',
      'No',
      'none set',
      '–',
    ]);
  });
});

describe('profileChartSvg with agreed levels', () => {
  const withAgreed = { ...profileInput, agreed: { 'managing-risk': 4 as Level } };

  it('marks the agreed level with a square and measures the target distance from it', () => {
    const svg = profileChartSvg(withAgreed);
    expect(svg).toContain(`<path d="M ${levelX(4) - 12} `);
    expect(texts(svg)).toContain('Consensus 3 Adequate; agreed 4 Needs Improvement; target 2 Good');
    expect(texts(svg)).toContain('Agreed level after moderation');
    expect(texts(profile)).not.toContain('Agreed level after moderation');
    const table = profileTable(withAgreed);
    expect(table.head[2]).toBe('Agreed level');
    expect(table.rows[3]).toEqual([
      'Managing Risk',
      '3 Adequate',
      '4 Needs Improvement',
      '3 to 4 (1)',
      'No',
      '2 Good',
      '2 levels to go to reach your target of 2 Good',
    ]);
    expect(table.rows[0]?.[2]).toBe('not agreed');
  });
});
