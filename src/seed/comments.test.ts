// The demo comment generator: the same comments for the same seed, a realistic spread of subjects,
// channels, wards and dates with the trend the demo tells, personal data to redact, and repeats.
import { describe, expect, it } from 'vitest';
import { redactPersonalData } from '../domain/themes/index.ts';
import {
  analyseChain,
  compareScenarios,
  householdRecyclingChainJson,
  parseChainOrThrow,
} from '../domain/chain/index.ts';
import { commentsCsv, generateComments } from './comments.ts';

describe('demo comment generator', () => {
  const comments = generateComments();

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateComments(200, 5)).toEqual(generateComments(200, 5));
    expect(generateComments(200, 5)).not.toEqual(generateComments(200, 6));
  });

  it('makes a few thousand comments over sixteen months, in date order, on every channel', () => {
    expect(comments.length).toBeGreaterThan(3000);
    const dates = comments.map((c) => c.date);
    expect([...dates].sort()).toEqual(dates);
    expect(dates[0]?.slice(0, 7)).toBe('2025-07');
    expect(dates.at(-1)?.slice(0, 7)).toBe('2026-10');
    expect(new Set(comments.map((c) => c.channel))).toEqual(
      new Set(['web', 'phone', 'email', 'letter']),
    );
    expect(new Set(comments.map((c) => c.area)).size).toBe(8);
  });

  it('tells the recycling story: confusion jumps when the rules change in April 2026', () => {
    const recycling = (month: string) =>
      comments.filter((c) => c.topic === 'recycling-rules' && c.date.startsWith(month)).length;
    expect(recycling('2026-04')).toBeGreaterThan(3 * recycling('2026-02'));
  });

  it('has varied wording, some repeats, and personal data that redaction removes', () => {
    const texts = comments.map((c) => c.text);
    expect(new Set(texts).size).toBeGreaterThan(0.9 * texts.length);
    const withPersonalData = texts.filter((t) => redactPersonalData(t) !== t);
    expect(withPersonalData.length).toBeGreaterThan(100);
    expect(texts.filter((t) => t.startsWith('Please reverse the decision')).length).toBe(40);
  });

  it('writes the CSV a case system would export', () => {
    const csv = commentsCsv(comments.slice(0, 3));
    expect(csv.split('\n')[0]).toBe('submitted,channel,ward,respondent,comment');
    expect(csv.trimEnd().split('\n')).toHaveLength(4);
  });
});

describe('demo recycling chain', () => {
  const chain = parseChainOrThrow(householdRecyclingChainJson);

  it('has its bottleneck at kerbside collection, where confusion about the rules causes rework', () => {
    const a = analyseChain(chain);
    expect(a.stable).toBe(true);
    expect(a.bottleneck.stageId).toBe('kerbside-collection');
    expect(a.bottleneck.utilisation).toBeGreaterThan(0.9);
    expect(a.bottleneck.utilisation).toBeLessThan(1);
    expect(a.bottleneck.explanation).toContain('returned for rework');
  });

  it('shows clearer rules shortening the wait and raising the tonnes recycled', () => {
    const [scenario] = compareScenarios(chain, {
      scenarios: [{ id: 'rules', name: 'Rules', interventions: ['clearer-recycling-rules'] }],
      simulation: false,
    }).scenarios;
    const findings = scenario?.findings.join(' ') ?? '';
    expect(findings).toMatch(/Mean lead time falls/);
    expect(findings).toMatch(/Tonnes recycled rise from 24\.6 to 26\.4 a week/);
  });
});
