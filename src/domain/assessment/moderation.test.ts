// Moderation flags (issue 3, point 5): high claims without evidence, and agreed levels away from the median.
import { describe, expect, it } from 'vitest';
import {
  breaksEvidenceRule,
  checkEvidenceRule,
  differenceFromConsensus,
  moderationFlags,
} from './moderation.ts';
import type { AgreedLevel } from './moderation.ts';
import { summariseCapability } from './results.ts';
import { answersFor } from './testAnswers.ts';
import type { Level } from './types.ts';

const CAP = 'managing-risk';
const resultOf = (levels: (Level | null)[]) =>
  summariseCapability(CAP, answersFor(CAP, 'g', levels), []);
const agreed = (overrides: Partial<AgreedLevel>): AgreedLevel => ({
  capabilityId: CAP,
  agreedLevel: 3,
  evidenceStrength: 'documented',
  rationale: '',
  ...overrides,
});
const codes = (flags: { code: string }[]) => flags.map((flag) => flag.code);

describe('moderationFlags', () => {
  const threes = resultOf([3, 3, 3]);

  it('raises nothing when the agreed level is the median with documented evidence', () => {
    expect(moderationFlags(agreed({}), threes)).toEqual([]);
  });

  it('flags Good or Outstanding claimed on assertion alone', () => {
    const twos = resultOf([2, 2, 2]);
    expect(
      codes(moderationFlags(agreed({ agreedLevel: 2, evidenceStrength: 'asserted' }), twos)),
    ).toEqual(['high-claim-without-evidence']);
    expect(
      moderationFlags(agreed({ agreedLevel: 2, evidenceStrength: 'asserted' }), twos)[0]?.message,
    ).toBe(
      'The agreed level is 2 Good, but the evidence is only asserted. A claim of Good or Outstanding needs documented or independently verified evidence.',
    );
    expect(
      moderationFlags(agreed({ agreedLevel: 2, evidenceStrength: 'documented' }), twos),
    ).toEqual([]);
    expect(
      moderationFlags(
        agreed({ agreedLevel: 1, evidenceStrength: 'independently-verified', rationale: 'Audit' }),
        twos,
      ).map((f) => f.code),
    ).not.toContain('high-claim-without-evidence');
    // Adequate on assertion is not a high claim.
    expect(moderationFlags(agreed({ evidenceStrength: 'asserted' }), threes)).toEqual([]);
  });

  it('shows a difference from the median in words, lower numbers being better', () => {
    const better = moderationFlags(agreed({ agreedLevel: 2, rationale: 'Seen the audit' }), threes);
    expect(better.find((flag) => flag.code === 'differs-from-consensus')?.message).toBe(
      "The agreed level 2 Good is 1 level better than the respondents' median (3 Adequate).",
    );
    const worse = moderationFlags(agreed({ agreedLevel: 5, rationale: 'Incidents' }), threes);
    expect(worse.find((flag) => flag.code === 'differs-from-consensus')?.message).toBe(
      "The agreed level 5 Inadequate is 2 levels worse than the respondents' median (3 Adequate).",
    );
    expect(differenceFromConsensus({ agreedLevel: 2 }, threes)).toBe(-1);
    expect(differenceFromConsensus({ agreedLevel: 5 }, threes)).toBe(2);
  });

  it('asks for a rationale only when the agreed level differs', () => {
    expect(codes(moderationFlags(agreed({ agreedLevel: 4, rationale: '  ' }), threes))).toEqual([
      'differs-from-consensus',
      'missing-rationale',
      'outside-spread',
    ]);
    expect(
      codes(moderationFlags(agreed({ agreedLevel: 4, rationale: 'Why' }), threes)),
    ).not.toContain('missing-rationale');
  });

  it('flags an agreed level outside the middle half of the ratings, and disagreement', () => {
    // Sorted 1 2 3 4 5: hinges 2 and 4, median 3.
    const spread = resultOf([1, 2, 3, 4, 5]);
    expect(codes(moderationFlags(agreed({ agreedLevel: 4, rationale: 'x' }), spread))).toEqual([
      'differs-from-consensus',
      'disagreement',
    ]);
    const outside = moderationFlags(agreed({ agreedLevel: 5, rationale: 'x' }), spread);
    expect(outside.find((flag) => flag.code === 'outside-spread')?.message).toBe(
      "The agreed level 5 Inadequate lies outside the middle half of the respondents' ratings (2 to 4).",
    );
  });

  it('says when no respondent gave a level', () => {
    const none = resultOf([null, null]);
    expect(codes(moderationFlags(agreed({}), none))).toEqual(['no-ratings', 'missing-rationale']);
    expect(codes(moderationFlags(agreed({ rationale: 'Reviewed files' }), none))).toEqual([
      'no-ratings',
    ]);
    expect(differenceFromConsensus({ agreedLevel: 3 }, none)).toBeNull();
  });
});

describe('checkEvidenceRule (paper, section 3: Good is formalised and consistent practice)', () => {
  const base = {
    agreedLevel: 2 as Level,
    evidenceStrength: 'asserted' as const,
    overrideRequested: false,
    overrideReason: '',
    mayOverride: false,
  };

  it('accepts Good or Outstanding on documented or independently verified evidence', () => {
    for (const evidenceStrength of ['documented', 'independently-verified'] as const) {
      for (const agreedLevel of [1, 2] as Level[]) {
        expect(checkEvidenceRule({ ...base, agreedLevel, evidenceStrength })).toEqual({
          ok: true,
          override: false,
        });
      }
    }
  });

  it('accepts Adequate or worse on asserted evidence, and keeps no override there', () => {
    expect(
      checkEvidenceRule({
        ...base,
        agreedLevel: 3,
        overrideRequested: true,
        overrideReason: 'not needed',
        mayOverride: true,
      }),
    ).toEqual({ ok: true, override: false });
  });

  it('refuses Good or Outstanding on asserted evidence, beside the evidence field', () => {
    const decision = checkEvidenceRule({ ...base, agreedLevel: 1 });
    expect(decision).toEqual({
      ok: false,
      field: 'evidenceStrength',
      message:
        'An agreed level of 1 Outstanding needs documented or independently verified evidence, not asserted evidence. Choose the evidence that supports it or agree a lower level.',
    });
  });

  it('refuses an override asked for by someone who is not an administrator', () => {
    const decision = checkEvidenceRule({
      ...base,
      overrideRequested: true,
      overrideReason: 'We are sure',
      mayOverride: false,
    });
    expect(decision.ok).toBe(false);
    expect(decision.ok ? '' : decision.message).toMatch(/^Only an administrator can override/);
  });

  it('needs a written reason from an administrator', () => {
    expect(
      checkEvidenceRule({
        ...base,
        overrideRequested: true,
        overrideReason: '  ',
        mayOverride: true,
      }),
    ).toEqual({
      ok: false,
      field: 'overrideReason',
      message: 'Give the reason for overriding the evidence rule',
    });
    expect(
      checkEvidenceRule({
        ...base,
        overrideRequested: true,
        overrideReason: ' Audit report due in May ',
        mayOverride: true,
      }),
    ).toEqual({ ok: true, override: true, reason: 'Audit report due in May' });
  });

  it('names the override in the flags instead of the missing evidence', () => {
    const twos = resultOf([2, 2, 2]);
    const flags = moderationFlags(
      agreed({
        agreedLevel: 2,
        evidenceStrength: 'asserted',
        evidenceOverride: { reason: 'Audit due in May', byName: 'Alex Morgan', at: '2026-01-01' },
      }),
      twos,
    );
    expect(flags).toEqual([
      {
        code: 'evidence-rule-overridden',
        message:
          'The agreed level is 2 Good on asserted evidence. Evidence rule overridden by Alex Morgan: Audit due in May',
      },
    ]);
    expect(breaksEvidenceRule({ agreedLevel: 2, evidenceStrength: 'asserted' })).toBe(true);
    expect(breaksEvidenceRule({ agreedLevel: 3, evidenceStrength: 'asserted' })).toBe(false);
  });
});
