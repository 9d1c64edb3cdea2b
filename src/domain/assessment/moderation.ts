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

export interface AgreedLevel {
  readonly capabilityId: string;
  readonly agreedLevel: Level;
  readonly evidenceStrength: EvidenceStrength;
  readonly rationale: string;
}

export type ModerationFlagCode =
  | 'high-claim-without-evidence'
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

  if (agreed.agreedLevel <= HIGH_CLAIM_FROM && agreed.evidenceStrength === 'asserted') {
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
