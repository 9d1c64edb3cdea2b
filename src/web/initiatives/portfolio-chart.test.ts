import { describe, expect, it } from 'vitest';
import { rankPortfolio } from '../../domain/initiatives/portfolio.ts';
import type { Initiative } from '../../domain/initiatives/types.ts';
import { sampleInitiative } from '../../../test/helpers/initiatives.ts';
import { contrastRatio } from '../charts/svg.ts';
import { CHART_WIDTH, SEGMENTS, portfolioChartSvg } from './portfolio-chart.ts';

function initiative(id: string, title: string, technologyCost: number): Initiative {
  return sampleInitiative({
    id,
    title,
    competency: 'chatbots',
    ambition: 'pilot',
    typologyCells: [],
    technologyCost,
    status: 'idea',
  });
}

const ranking = rankPortfolio([
  {
    initiative: initiative('a', 'Triage <of> applications & appeals', 10_000),
    bottleneckEffect: 20,
    readiness: 'ready',
    risks: [],
  },
  {
    initiative: initiative('b', 'Rota assistant', 5_000),
    bottleneckEffect: null,
    readiness: 'ready-with-conditions',
    risks: [],
  },
]);

describe('portfolioChartSvg', () => {
  const svg = portfolioChartSvg(ranking.ranked);

  it('is an image with a title and a description giving every score and component', () => {
    expect(svg).toMatch(
      /^<svg[^>]*role="img"[^>]*aria-labelledby="portfolio-scores-title portfolio-scores-desc"/,
    );
    expect(svg).toContain(
      '<title id="portfolio-scores-title">Portfolio scores, out of 100 points</title>',
    );
    expect(svg).toContain(
      '1. Triage &lt;of&gt; applications &amp; appeals: 100.0 points (Effect on the bottleneck per pound 50.0, Readiness 30.0, Risks above the appetite 20.0); 2. Rota assistant: 35.0 points',
    );
    expect(svg).toContain('>Bottleneck 50.0, readiness 30.0, risk 20.0<');
    expect(svg).toContain('>100.0 points<');
  });

  it('stays readable on a 375 px phone and keeps colours apart from white', () => {
    const sizes = [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
    // Shrunk to the 345 px a 375 px screen leaves, the smallest text is still 12 px.
    expect(Math.min(...sizes) * (345 / CHART_WIDTH)).toBeGreaterThanOrEqual(12);
    expect(svg).toContain(`width="${CHART_WIDTH}"`);
    for (const segment of SEGMENTS)
      expect(contrastRatio(segment.colour, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(svg).toContain('url(#portfolio-scores-hatch-readiness)');
  });

  it('draws a full score across the whole scale and nothing for an empty portfolio', () => {
    const widths = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="24"/g),
    ].map((m) => Number(m[1]) + Number(m[2]));
    expect(Math.max(...widths)).toBeCloseTo(340, 0);
    expect(portfolioChartSvg([])).toBe('');
  });
});
