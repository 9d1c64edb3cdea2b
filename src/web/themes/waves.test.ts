import { describe, expect, it } from 'vitest';
import { compareWaves } from '../../domain/themes/compare.ts';
import { comparisonCsv } from './waves.ts';
import { waveChartSvg } from './wave-chart.ts';

const centre = (axis: number): number[] =>
  Array.from({ length: 100 }, (_, j) => (j === axis ? 1 : 0));

const comparison = compareWaves(
  {
    analysed: 200,
    themes: [
      { key: 'theme-1', name: '=Bins & "boxes"', size: 100 },
      { key: 'theme-2', name: 'Parking', size: 100 },
    ],
    engineThemes: [
      { id: 'theme-1', name: 'bins', size: 100, centroid: centre(1), finalKey: 'theme-1' },
      { id: 'theme-2', name: 'parking', size: 100, centroid: centre(2), finalKey: 'theme-2' },
    ],
  },
  {
    analysed: 200,
    engineThemes: [
      { id: 'theme-1', name: 'bins', size: 40, centroid: centre(1) },
      { id: 'theme-2', name: 'parking', size: 160, centroid: centre(2) },
    ],
  },
);

describe('comparisonCsv', () => {
  it('writes negative changes as numbers and guards text that looks like a formula', () => {
    const lines = comparisonCsv(comparison).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    const bins = lines.find((l) => l.startsWith(`"'=Bins`));
    expect(bins).toBeDefined();
    expect(bins?.split(',').slice(1, 6)).toEqual(['100', '0.5000', '40', '0.2000', '-30.00']);
    expect(bins).toContain(',yes,shrank,');
  });
});

describe('waveChartSvg', () => {
  it('is an image with a title and a description giving every figure, text escaped', () => {
    const svg = waveChartSvg(
      comparison.changes.map((c) => ({
        name: c.name,
        earlierShare: c.earlier.share,
        laterShare: c.later.share,
        verdict: c.verdict,
      })),
      'Two waves',
    );
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="[^"]+-title [^"]+-desc"/);
    expect(svg).toContain('<title id="waves-Two-waves-title">Two waves</title>');
    expect(svg).toContain(
      '=Bins &amp; &quot;boxes&quot;: 50.0% of comments in the earlier wave, 20.0% in the later wave, shrank',
    );
    expect(svg).toContain(
      'Parking: 50.0% of comments in the earlier wave, 80.0% in the later wave, grew',
    );
    expect(svg).not.toContain('"boxes"');
  });
});
