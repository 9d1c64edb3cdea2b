// The six AI competencies of section 2.1 as data: their order, their limits and the look-up.
import { describe, expect, it } from 'vitest';
import {
  COMPETENCIES,
  COMPETENCY_IDS,
  FAILURE_KINDS,
  LIMIT_KINDS,
  competency,
  isCompetencyId,
} from './competencies.ts';

describe('AI competencies (section 2.1)', () => {
  it('lists the six competencies in the order the paper introduces them', () => {
    expect(COMPETENCIES.map((c) => c.name)).toEqual([
      'Computer vision',
      'Natural language processing',
      'Speech analytics',
      'Predictive analytics',
      'Chatbots and conversational agents',
      'Large language models',
    ]);
    expect(COMPETENCIES.map((c) => c.id)).toEqual([...COMPETENCY_IDS]);
  });

  it('gives each competency uses and limits, every one cited, and ties each to data quality', () => {
    for (const c of COMPETENCIES) {
      expect(c.section).toBe('2.1');
      expect(c.summary.length).toBeGreaterThan(20);
      expect(c.goodAt.length).toBeGreaterThanOrEqual(3);
      expect(c.limits.length).toBeGreaterThanOrEqual(3);
      for (const item of [...c.goodAt, ...c.limits]) expect(item.section).toMatch(/^\d/);
      // "Garbage in, garbage out" holds for every model (section 2.1).
      expect(c.limits.some((limit) => limit.kind === 'data-quality')).toBe(true);
      for (const limit of c.limits) {
        expect(LIMIT_KINDS[limit.kind]).toBeDefined();
        expect(limit.failure.length).toBeGreaterThan(0);
      }
    }
  });

  it('carries the limits the paper names for the competencies that have them', () => {
    const kinds = (id: string) => competency(id).limits.map((limit) => limit.kind);
    expect(kinds('large-language-models')).toContain('fabrication');
    expect(kinds('chatbots')).toContain('fabrication');
    expect(kinds('predictive-analytics')).toEqual(
      expect.arrayContaining(['opacity', 'historical-bias', 'brittleness']),
    );
    expect(kinds('natural-language-processing')).toContain('downstream-errors');
    // Opacity harms people: decisions that cannot be challenged are an ethical failure.
    const opacity = competency('predictive-analytics').limits.find((l) => l.kind === 'opacity');
    expect(opacity?.failure).toEqual(['ethical']);
    expect(opacity?.text).toContain('X-rays');
  });

  it('describes both kinds of failure', () => {
    expect(FAILURE_KINDS.operational).toMatch(/^Operational failure/);
    expect(FAILURE_KINDS.ethical).toMatch(/harms members of the public/);
  });

  it('looks a competency up by id and refuses an unknown one, naming the valid ids', () => {
    expect(competency('speech-analytics').name).toBe('Speech analytics');
    expect(isCompetencyId('chatbots')).toBe(true);
    expect(isCompetencyId('robotics')).toBe(false);
    expect(() => competency('robotics')).toThrow(
      'Unknown AI competency "robotics"; the paper\'s six (section 2.1) are computer-vision, natural-language-processing, speech-analytics, predictive-analytics, chatbots, large-language-models',
    );
  });

  it('cannot be changed by a caller', () => {
    const vision = competency('computer-vision');
    expect(Object.isFrozen(vision)).toBe(true);
    expect(Object.isFrozen(vision.limits[0])).toBe(true);
    expect(Object.isFrozen(COMPETENCIES)).toBe(true);
  });
});
