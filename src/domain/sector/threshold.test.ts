import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REVIEW_RULE,
  parseStoredRule,
  reviewDecision,
  reviewRuleForm,
  ruleSentences,
  type ReviewFacts,
} from './threshold.ts';

const quiet: ReviewFacts = {
  harmToPublic: false,
  severity: 2,
  sameSystemInWindow: 1,
  class: 'blameless_error',
};

describe('the threshold for independent review (paper section 4.4, Table 4)', () => {
  it('refers nothing that meets no criterion', () => {
    expect(reviewDecision(DEFAULT_REVIEW_RULE, quiet)).toEqual({ refer: false, reasons: [] });
  });

  it('refers on each criterion, naming every one that holds', () => {
    expect(reviewDecision(DEFAULT_REVIEW_RULE, { ...quiet, harmToPublic: true }).reasons).toEqual([
      'Harm reached the public',
    ]);
    expect(reviewDecision(DEFAULT_REVIEW_RULE, { ...quiet, severity: 4 }).refer).toBe(true);
    expect(reviewDecision(DEFAULT_REVIEW_RULE, { ...quiet, severity: 3 }).refer).toBe(false);
    expect(reviewDecision(DEFAULT_REVIEW_RULE, { ...quiet, sameSystemInWindow: 3 }).refer).toBe(
      true,
    );
    expect(reviewDecision(DEFAULT_REVIEW_RULE, { ...quiet, sameSystemInWindow: 2 }).refer).toBe(
      false,
    );
    expect(
      reviewDecision(DEFAULT_REVIEW_RULE, { ...quiet, class: 'reckless_conduct' }).reasons,
    ).toEqual(['Triaged as reckless conduct']);
    const all = reviewDecision(DEFAULT_REVIEW_RULE, {
      harmToPublic: true,
      severity: 5,
      sameSystemInWindow: 4,
      class: 'reckless_conduct',
    });
    expect(all.reasons).toHaveLength(4);
  });

  it('follows the version it is given: a later, stricter rule refers what an earlier did not', () => {
    const v1 = DEFAULT_REVIEW_RULE;
    const v2 = { ...DEFAULT_REVIEW_RULE, severityAtLeast: 3 as const };
    const facts = { ...quiet, severity: 3 as const };
    expect(reviewDecision(v1, facts).refer).toBe(false);
    expect(reviewDecision(v2, facts).refer).toBe(true);
    const off = { ...DEFAULT_REVIEW_RULE, severityAtLeast: null, repeatsAtLeast: null };
    expect(reviewDecision(off, { ...quiet, severity: 5, sameSystemInWindow: 9 }).refer).toBe(false);
  });

  it('reads in sentences', () => {
    expect(ruleSentences(DEFAULT_REVIEW_RULE)).toEqual([
      'any harm that reached the public',
      'severity Major or worse',
      '3 or more reports about the same AI system within 90 days',
      'a triage of reckless conduct',
    ]);
  });

  it('validates the form, refusing a rule with no criterion and out-of-range numbers', () => {
    const ok = reviewRuleForm.safeParse({
      harmToPublic: 'yes',
      severityAtLeast: '3',
      repeatsAtLeast: '',
      windowDays: '60',
    });
    expect(ok.success && ok.data).toEqual({
      harmToPublic: true,
      severityAtLeast: 3,
      repeatsAtLeast: null,
      windowDays: 60,
      recklessConduct: false,
    });
    const none = reviewRuleForm.safeParse({
      severityAtLeast: '',
      repeatsAtLeast: '',
      windowDays: '90',
    });
    expect(none.success).toBe(false);
    const bad = reviewRuleForm.safeParse({
      harmToPublic: 'yes',
      severityAtLeast: '9',
      repeatsAtLeast: '1',
      windowDays: '3',
    });
    expect(bad.success).toBe(false);
    if (!bad.success)
      expect(bad.error.issues.map((i) => i.path[0]).sort()).toEqual([
        'repeatsAtLeast',
        'severityAtLeast',
        'windowDays',
      ]);
  });

  it('reads a stored version back defensively', () => {
    expect(parseStoredRule({ harmToPublic: true, severityAtLeast: 7 })).toEqual({
      harmToPublic: true,
      severityAtLeast: null,
      repeatsAtLeast: null,
      windowDays: 90,
      recklessConduct: false,
    });
  });
});
