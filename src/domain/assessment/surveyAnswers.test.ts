import { describe, expect, it } from 'vitest';
import { capabilitiesByScope, defaultFramework } from '../framework/index.ts';
import { checkSurveyAnswers, type SurveyAnswer } from './surveyAnswers.ts';

const capabilities = capabilitiesByScope(defaultFramework, 'organisation');
const first = capabilities[0];
if (!first) throw new Error('the framework has no organisation capabilities');
const everyOne = (): SurveyAnswer[] =>
  capabilities.map((c, i) =>
    i === 0
      ? { capabilityId: c.id, level: 'dont-know' }
      : { capabilityId: c.id, level: 2, confidence: 'high' },
  );

describe('answers from a survey tool', () => {
  it('accepts every capability answered once, "don’t know" without a confidence', () => {
    const result = checkSurveyAnswers(capabilities, everyOne());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.answers).toHaveLength(capabilities.length);
    expect(result.answers[0]).toMatchObject({ level: null, dontKnow: true, confidence: null });
    expect(result.answers[1]).toMatchObject({ level: 2, dontKnow: false, confidence: 'high' });
  });

  it('names every problem at once: missing, unknown, repeated, no confidence, long evidence, foreign indicator', () => {
    const answers = everyOne().slice(2);
    const second = capabilities[2];
    if (!second) throw new Error('too few capabilities');
    const result = checkSurveyAnswers(capabilities, [
      ...answers,
      { capabilityId: 'no-such-capability', level: 1, confidence: 'low' },
      { capabilityId: second.id, level: 3, confidence: 'low' },
      { capabilityId: first.id, level: 4, evidence: 'x'.repeat(5001), indicators: ['nope'] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.issues.map((i) => i.message);
    expect(messages).toContain('"no-such-capability" is not a capability this round asks about');
    expect(messages).toContain(`${second.name} is answered more than once`);
    expect(messages).toContain(
      `Say how confident the respondent is in their answer for ${first.name}`,
    );
    expect(messages).toContain(`Evidence for ${first.name} must be 5,000 characters or fewer`);
    expect(messages).toContain(`${first.name} has no indicator "nope"`);
    const missing = capabilities[1];
    expect(messages).toContain(
      `Answer ${missing?.name ?? ''} (${missing?.id ?? ''}); "dont-know" is an answer`,
    );
  });
});
