// The trend chart (issue 12, point 5): an image with a title and a description that states every
// round's level in words, a gap (not a zero) where a round did not assess the capability, a dashed
// line at a change of framework version, agreed levels filled and medians open, and a table with
// the same words.
import { describe, expect, it } from 'vitest';
import {
  effectiveLevels,
  summariseRound,
  trendAcrossRounds,
  type Level,
} from '../../../domain/assessment/index.ts';
import { defaultFramework, loadFramework } from '../../../domain/framework/index.ts';
import { answersFor } from '../../../domain/assessment/testAnswers.ts';
import { trendChartSvg, trendTable } from './trend.ts';

const CAP = 'managing-risk';
const older = (() => {
  const document = structuredClone(defaultFramework.document);
  document.version = '1.0.0';
  return loadFramework(document);
})();

function round(id: string, closedAt: string, levels: Level[] | null, agreed?: Level) {
  const framework = id === 'a' ? older : defaultFramework;
  const answers = levels ? answersFor(CAP, 'all', levels) : [];
  const results = summariseRound(framework, 'organisation', answers, [
    { id: 'all', name: 'All staff' },
  ]).results.filter((r) => levels !== null || r.capabilityId !== CAP);
  return {
    id,
    title: `Round <${id}>`,
    status: 'finalised',
    closedAt,
    framework,
    levels: effectiveLevels(
      { results },
      agreed === undefined ? [] : [{ capabilityId: CAP, agreedLevel: agreed }],
    ),
  };
}

describe('trendChartSvg', () => {
  const trend = trendAcrossRounds([
    round('a', '2025-01-01', [4, 4, 4]),
    round('b', '2025-06-01', null),
    round('c', '2026-01-01', [3, 3, 3], 2),
  ]);
  const capability = trend.capabilities.find((c) => c.capabilityId === CAP);
  if (!capability) throw new Error('fixture');
  const svg = trendChartSvg(trend, capability, 'trend-risk');

  it('is an image described in words, round by round', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="trend-risk-title trend-risk-desc"/);
    expect(svg).toContain('Round &lt;a&gt;: median 4 Needs Improvement');
    expect(svg).toContain('Round &lt;b&gt;: Not in this framework version');
    expect(svg).toContain('Round &lt;c&gt;: agreed 2 Good, median 3 Adequate');
    expect(svg).not.toContain('<a>');
  });

  it('leaves a gap where the capability was not assessed, and marks the change of framework', () => {
    // Two points with a level, and no line across the gap between them.
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).not.toMatch(/<line [^>]*stroke="#1d70b8"/);
    expect(svg).toContain('Not assessed');
    expect(svg).toContain('Framework 1.1.0');
    expect(svg.match(/stroke-dasharray="6 4"/g)).toHaveLength(1);
  });

  it('fills an agreed level and leaves a median open', () => {
    expect(svg).toMatch(/<circle [^>]*fill="#1d70b8"/);
    expect(svg).toMatch(/<circle [^>]*fill="#ffffff"/);
    expect(svg).toContain('2 agreed');
  });

  it('has a table with the same words', () => {
    const table = trendTable(trend, capability);
    expect(table.rows.map((r) => r[1])).toEqual(capability.points.map((p) => p.text));
    expect(table.rows[0]?.[2]).toBe('1.0.0');
    expect(table.rows[1]?.[2]).toBe('1.1.0 (changed since the round before)');
  });
});
