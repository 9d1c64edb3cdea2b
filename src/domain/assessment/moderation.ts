// Moderation of a closed round (issue 3, point 5). Self-assessment is easily distrusted ("marking your
// own homework"), so the lead records an agreed level with a rationale and an evidence strength, and
// these flags show where the agreed result needs a second look. Lower numbers are better, so every
// difference is put into words.
import type { CapabilityResult, Level } from './types.ts';
import { formatNumber, levelDifference, levelWithName, levels } from './words.ts';

export type EvidenceStrength = 'asserted' | 'documented' | 'independently-verified';
export const EVIDENCE_STRENGTHS: readonly EvidenceStrength[] = [
  'asserted',
  'documented',
  'independently-verified',
];

/** Good or Outstanding (this level or better) needs at least documented evidence. */
export const HIGH_CLAIM_FROM: Level = 2;

/**
 * An administrator's explicit override of the evidence rule, with the written reason: who (by name,
 * as it stood when recorded), when, and why. Shown wherever the agreed level is.
 */
export interface EvidenceOverride {
  readonly reason: string;
  readonly byName: string;
  readonly at: string;
}

export interface AgreedLevel {
  readonly capabilityId: string;
  readonly agreedLevel: Level;
  readonly evidenceStrength: EvidenceStrength;
  readonly rationale: string;
  /** Set only when the evidence rule applied and an administrator overrode it. */
  readonly evidenceOverride?: EvidenceOverride;
}

/** Evidence strong enough for a claim of Good or Outstanding (paper, section 4: the levels). */
export const EVIDENCE_FOR_HIGH_CLAIM: readonly EvidenceStrength[] = [
  'documented',
  'independently-verified',
];

/** True when the agreed level claims Good or Outstanding on evidence that is only asserted. */
export function breaksEvidenceRule(
  agreed: Pick<AgreedLevel, 'agreedLevel' | 'evidenceStrength'>,
): boolean {
  return (
    agreed.agreedLevel <= HIGH_CLAIM_FROM &&
    !EVIDENCE_FOR_HIGH_CLAIM.includes(agreed.evidenceStrength)
  );
}

export type EvidenceRuleDecision =
  | { readonly ok: true; readonly override: false }
  | { readonly ok: true; readonly override: true; readonly reason: string }
  | {
      readonly ok: false;
      readonly field: 'evidenceStrength' | 'overrideReason';
      readonly message: string;
    };

/**
 * The evidence rule, enforced when an agreed level is recorded: a claim of Good (2) or Outstanding
 * (1) needs documented or independently verified evidence. Only an administrator may override it,
 * explicitly and with a written reason; anyone else asking to override (a forged form included) is
 * refused. An override asked for where the rule is met is not needed and is not kept.
 */
export function checkEvidenceRule(input: {
  readonly agreedLevel: Level;
  readonly evidenceStrength: EvidenceStrength;
  /** The "override the evidence rule" box was ticked. */
  readonly overrideRequested: boolean;
  readonly overrideReason: string;
  /** The person recording the level is an administrator. */
  readonly mayOverride: boolean;
}): EvidenceRuleDecision {
  if (!breaksEvidenceRule(input)) return { ok: true, override: false };
  const level = levelWithName(input.agreedLevel);
  if (!input.overrideRequested) {
    return {
      ok: false,
      field: 'evidenceStrength',
      message: `An agreed level of ${level} needs documented or independently verified evidence, not asserted evidence. Choose the evidence that supports it or agree a lower level${input.mayOverride ? ', or override the rule with a reason' : ''}.`,
    };
  }
  if (!input.mayOverride) {
    return {
      ok: false,
      field: 'evidenceStrength',
      message: `Only an administrator can override the evidence rule. An agreed level of ${level} needs documented or independently verified evidence.`,
    };
  }
  const reason = input.overrideReason.trim();
  if (reason === '') {
    return {
      ok: false,
      field: 'overrideReason',
      message: 'Give the reason for overriding the evidence rule',
    };
  }
  return { ok: true, override: true, reason };
}

/** "Evidence rule overridden by Alex Morgan: <reason>", or undefined when there is no override. */
export function evidenceOverrideText(
  agreed: Pick<AgreedLevel, 'evidenceOverride'>,
): string | undefined {
  const o = agreed.evidenceOverride;
  return o ? `Evidence rule overridden by ${o.byName}: ${o.reason}` : undefined;
}

export type ModerationFlagCode =
  | 'high-claim-without-evidence'
  | 'evidence-rule-overridden'
  | 'differs-from-consensus'
  | 'missing-rationale'
  | 'outside-spread'
  | 'no-ratings'
  | 'disagreement';

export interface ModerationFlag {
  readonly code: ModerationFlagCode;
  readonly message: string;
}

/**
 * Signed difference of the agreed level from the respondents' consensus, in levels: negative when
 * the agreed level is better (a lower number), positive when worse; null when no one gave a level.
 */
export function differenceFromConsensus(
  agreed: Pick<AgreedLevel, 'agreedLevel'>,
  result: Pick<CapabilityResult, 'consensus'>,
): number | null {
  return result.consensus === null ? null : agreed.agreedLevel - result.consensus;
}

export function moderationFlags(agreed: AgreedLevel, result: CapabilityResult): ModerationFlag[] {
  const flags: ModerationFlag[] = [];
  const level = levelWithName(agreed.agreedLevel);

  if (breaksEvidenceRule(agreed) && agreed.evidenceOverride) {
    flags.push({
      code: 'evidence-rule-overridden',
      message: `The agreed level is ${level} on asserted evidence. ${evidenceOverrideText(agreed) ?? ''}`,
    });
  } else if (breaksEvidenceRule(agreed)) {
    flags.push({
      code: 'high-claim-without-evidence',
      message: `The agreed level is ${level}, but the evidence is only asserted. A claim of Good or Outstanding needs documented or independently verified evidence.`,
    });
  }

  const difference = differenceFromConsensus(agreed, result);
  const hasRationale = agreed.rationale.trim().length > 0;
  if (difference === null || result.consensus === null) {
    flags.push({
      code: 'no-ratings',
      message: `No respondent gave a level, so the agreed level ${level} rests on the moderator's judgement alone.`,
    });
    if (!hasRationale) {
      flags.push({
        code: 'missing-rationale',
        message: 'Say why this level was agreed, since no respondent gave a level.',
      });
    }
    return flags;
  }

  if (difference !== 0) {
    flags.push({
      code: 'differs-from-consensus',
      message: `The agreed level ${level} is ${levelDifference(result.consensus, agreed.agreedLevel)} than the respondents' median (${levelWithName(result.consensus)}).`,
    });
    if (!hasRationale) {
      flags.push({
        code: 'missing-rationale',
        message: `The agreed level differs from the respondents' median by ${levels(Math.abs(difference))}; record the reason.`,
      });
    }
  }
  if (
    result.lowerQuartile !== null &&
    result.upperQuartile !== null &&
    (agreed.agreedLevel < result.lowerQuartile || agreed.agreedLevel > result.upperQuartile)
  ) {
    flags.push({
      code: 'outside-spread',
      message: `The agreed level ${level} lies outside the middle half of the respondents' ratings (${formatNumber(result.lowerQuartile)} to ${formatNumber(result.upperQuartile)}).`,
    });
  }
  if (result.disagreement) {
    flags.push({
      code: 'disagreement',
      message:
        'Respondents disagreed about this capability; the rationale should say how the agreed level was reached.',
    });
  }
  return flags;
}
