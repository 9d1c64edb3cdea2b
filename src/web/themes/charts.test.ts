// The themes charts: accessible SVG (role, title, description), escaped text, readable sizes, no
// style attributes (the Content-Security-Policy forbids them), contrast, and numbers as text.
import { describe, expect, it } from 'vitest';
import { contrastRatio, MIN_FONT_SIZE, TEXT_COLOUR, WHITE } from '../charts/svg.ts';
import { BAR, OTHER_BAR, periodName, themeBarChartSvg, trendChartSvg } from './charts.ts';

const bars = themeBarChartSvg(
  [
    { label: 'Confusion about recycling rules', count: 524, share: 0.184 },
    { label: 'Bins <missed> & "late"', count: 12, share: 0.0004 },
    { label: 'Other (fits no theme)', count: 34, share: 0.012, other: true },
  ],
  'Comments in each theme',
);
const trend = trendChartSvg(
  [
    { start: '2025-12-01', count: 7 },
    { start: '2026-01-01', count: 9 },
    { start: '2026-04-01', count: 56 },
  ],
  'month',
  'Comments per month',
);

describe('theme charts', () => {
  it('are images with a title and a description that gives every number', () => {
    for (const svg of [bars, trend]) {
      expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="[^"]+-title [^"]+-desc"/);
      expect(svg).toContain('<title id=');
      expect(svg).toContain('<desc id=');
    }
    expect(bars).toContain('Confusion about recycling rules: 524 comments, 18.4%');
    expect(bars).toContain('524 (18.4%)');
    expect(bars).toContain('12 (&lt;0.1%)');
    expect(trend).toContain('April 2026: 56');
  });

  it('escapes text and uses no style attributes', () => {
    expect(bars).toContain('Bins &lt;missed&gt; &amp; &quot;late&quot;');
    expect(bars).not.toContain('<missed>');
    for (const svg of [bars, trend]) expect(svg).not.toMatch(/\sstyle=/);
  });

  it('never uses text smaller than 12px', () => {
    for (const svg of [bars, trend])
      for (const [, size] of svg.matchAll(/font-size="(\d+)"/g))
        expect(Number(size)).toBeGreaterThanOrEqual(MIN_FONT_SIZE);
  });

  it('uses colours with at least 4.5:1 contrast, and marks "other" in words as well as colour', () => {
    for (const colour of [BAR, OTHER_BAR, TEXT_COLOUR])
      expect(contrastRatio(colour, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(bars).toContain('Other (fits no theme)');
    expect(bars).toContain('stroke-dasharray');
  });

  it('names periods in words', () => {
    expect(periodName('2026-04-01', 'month')).toBe('April 2026');
    expect(periodName('2026-03-02', 'week')).toBe('Week of 2 March 2026');
  });
});
