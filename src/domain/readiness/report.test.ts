// Reading a readiness check's inputs from the assessment results export, and the level rule
// (agreed in moderation, else the median) it shares with the product.
import { describe, expect, it } from 'vitest';
import { capabilityLevels } from './levels.ts';
import { exampleAssessmentResults } from './example.ts';
import { readinessInputsFromReport } from './report.ts';

describe('capabilityLevels', () => {
  it('uses the agreed level over the median, and leaves out a capability with neither', () => {
    expect(
      capabilityLevels(
        [
          { capabilityId: 'managing-risk', consensus: 4 },
          { capabilityId: 'organisational-learning', consensus: 3 },
          { capabilityId: 'planning-and-prioritisation', consensus: null },
          { capabilityId: 'managing-supplier-relations', consensus: null },
        ],
        [
          { capabilityId: 'managing-risk', agreedLevel: 3 },
          // Agreed by the moderator although no respondent gave a level.
          { capabilityId: 'managing-supplier-relations', agreedLevel: 4 },
        ],
      ),
    ).toEqual([
      { capabilityId: 'managing-risk', level: 3, source: 'agreed' },
      { capabilityId: 'organisational-learning', level: 3, source: 'median' },
      { capabilityId: 'managing-supplier-relations', level: 4, source: 'agreed' },
    ]);
  });
});

describe('readinessInputsFromReport', () => {
  it('reads the example export: the agreed planning level, the medians, the round', () => {
    const inputs = readinessInputsFromReport(
      JSON.parse(JSON.stringify(exampleAssessmentResults())),
    );
    expect(inputs.ok).toBe(true);
    if (!inputs.ok) return;
    expect(inputs.levels).toEqual([
      { capabilityId: 'organisational-learning', level: 3, source: 'median' },
      // The median is 3; the lead agreed 2 on documented evidence.
      { capabilityId: 'planning-and-prioritisation', level: 2, source: 'agreed' },
      { capabilityId: 'developing-new-ways-of-working', level: 3, source: 'median' },
      { capabilityId: 'managing-risk', level: 3, source: 'median' },
      { capabilityId: 'managing-supplier-relations', level: 3, source: 'median' },
    ]);
    expect(inputs.assessment).toEqual({
      roundId: 'round-2026-spring',
      title: 'Northshire Council capability self-assessment, spring 2026',
      date: '2026-03-30T10:15:00.000Z',
    });
    expect(inputs.framework.id).toBe('hoskins-2025');
    expect(inputs.unrated).toEqual([]);
    expect(inputs.results.find((r) => r.capabilityId === 'managing-risk')).toEqual({
      capabilityId: 'managing-risk',
      responses: 15,
      indicatorsSeen: {
        'managing-risk.3.1': 11,
        'managing-risk.3.2': 8,
        'managing-risk.2.1': 9,
        'managing-risk.3.4': 6,
        'managing-risk.4.4': 4,
      },
    });
  });

  it('names a capability nobody rated, and falls back to the closing date', () => {
    const report = structuredClone(exampleAssessmentResults()) as unknown as {
      round: Record<string, unknown>;
      capabilities: { agreed: unknown; result: { consensus: unknown } }[];
    };
    const risk = report.capabilities[3];
    if (risk) risk.result.consensus = null;
    report.round.snapshotCreatedAt = null;
    const inputs = readinessInputsFromReport(report);
    expect(inputs.ok && inputs.unrated).toEqual(['managing-risk']);
    expect(inputs.ok && inputs.levels.map((l) => l.capabilityId)).not.toContain('managing-risk');
    expect(inputs.ok && inputs.assessment.date).toBe('2026-03-27');
  });

  it('refuses what is not an organisation-level results export, saying what it is', () => {
    const example = exampleAssessmentResults();
    const issues = (raw: unknown) => {
      const result = readinessInputsFromReport(raw);
      return result.ok ? [] : result.issues;
    };
    expect(issues([1, 2])).toEqual(['not an assessment results export: expected a JSON object']);
    expect(issues({ title: 'An initiative' })).toEqual([
      'not an assessment results export: expected "format": "throughline.assessment-results", found no "format" field',
    ]);
    expect(issues({ ...example, format: 'throughline.chain' })).toEqual([
      'not an assessment results export: expected "format": "throughline.assessment-results", found "throughline.chain"',
    ]);
    expect(issues({ ...example, formatVersion: 2 })).toEqual([
      'results export format version 2 cannot be read; this build reads version 1',
    ]);
    expect(issues({ ...example, scope: 'sector' })).toEqual([
      'this is a sector-level assessment; readiness is judged on an organisation-level assessment (section 3)',
    ]);
    expect(
      issues({
        ...example,
        capabilities: [{ capabilityId: 'managing-risk', result: { consensus: 7, responses: 3 } }],
      }),
    ).toEqual([
      'capabilities.0.result.consensus: must be a level from 1 (Outstanding) to 5 (Inadequate)',
    ]);
    expect(
      issues({ ...example, capabilities: [example.capabilities[0], example.capabilities[0]] }),
    ).toEqual(['capability "organisational-learning" appears twice in the export']);
  });
});
