// The profile chart on a phone: a stacked chart, each capability's name above its own scale, narrow
// enough that a 375 px screen shows its text at nearly full size; the page carries both shapes and
// the stylesheet displays one, each with its own ids.
import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../../../domain/framework/index.ts';
import { summariseRound } from '../../../domain/assessment/index.ts';
import type { Answer, Level } from '../../../domain/assessment/index.ts';
import { FONT_SIZE } from '../../charts/svg.ts';
import { profileChartHtml, profileChartSvg } from './index.ts';

const answers = (capabilityId: string, levels: Level[]): Answer[] =>
  levels.map((level, i) => ({
    responseId: `${capabilityId}-${i}`,
    groupId: 'all',
    capabilityId,
    level,
    indicatorsSeen: [],
    evidence: '',
    confidence: null,
  }));

const summary = summariseRound(
  defaultFramework,
  'organisation',
  [...answers('managing-risk', [2, 3, 3, 4, 5]), ...answers('organisational-learning', [2, 2, 3])],
  [{ id: 'all', name: 'Everyone' }],
);
const input = {
  framework: defaultFramework,
  results: summary.results,
  targets: { 'managing-risk': 2 as Level },
  agreed: { 'managing-risk': 4 as Level },
};

const viewBoxWidth = (svg: string) => Number(/viewBox="0 0 ([\d.]+) /.exec(svg)?.[1]);

describe('the profile chart on a phone', () => {
  const wide = profileChartSvg(input);
  const stacked = profileChartSvg(input, 'stacked');

  it('is narrow enough for its text to stay readable on a 375 px screen', () => {
    expect(viewBoxWidth(wide)).toBeGreaterThan(800);
    // The page's column is 345 px wide on a 375 px phone.
    const shown = (FONT_SIZE * 345) / viewBoxWidth(stacked);
    expect(shown).toBeGreaterThanOrEqual(13);
    expect((FONT_SIZE * 345) / viewBoxWidth(wide)).toBeLessThan(6);
  });

  it('says the same: every capability, its levels, the key and the level names', () => {
    for (const name of ['Managing Risk', 'Organisational Learning']) {
      expect(stacked).toContain(name);
    }
    const text = stacked
      .replace(/<title>[^<]*<\/title>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    expect(text).toContain('Consensus 3 Adequate; agreed 4 Needs Improvement; target 2 Good');
    expect(stacked).toContain('Agreed level after moderation');
    expect(stacked).toContain('4 Needs');
    expect(stacked).toContain('← Better');
    // Nothing is drawn beyond the chart's own width.
    const xs = [...stacked.matchAll(/ x[12]?="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...xs)).toBeLessThanOrEqual(viewBoxWidth(stacked));
  });

  it('puts both shapes on the page, with ids of their own', () => {
    const html = profileChartHtml({ ...input, idPrefix: 'profile' });
    expect(html).toContain('<div class="tl-chart-wide"><svg');
    expect(html).toContain('<div class="tl-chart-narrow"><svg');
    expect(html).toContain('id="profile-title"');
    expect(html).toContain('id="profile-stacked-title"');
  });
});
