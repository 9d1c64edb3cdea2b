// The client-capability register (paper section 4.2, capability 7, and Table 3, level 1
// Outstanding: "A central body maintains a public 'client capability register,' rating public
// bodies on their ability to manage complex projects"). A member publishes a rating derived from
// its latest finalised assessment; nothing else of the assessment is published.
//
// Which capabilities count: the three organisation-level capabilities that make a body a capable
// client of a complex AI project (Table 2): Managing Supplier Relations (can it specify, buy and
// manage the work), Managing Risk (can it take calculated risks and escalate them), and Planning &
// Prioritisation (does it fund work on a business case). How the rating is derived: the WEAKEST of
// their levels (the highest number; levels 1 Outstanding … 5 Inadequate, lower is better), because
// a project fails at its weakest link and the register must not promise more than the body can do.
// The evidence is the weakest evidence behind those levels, stated beside the rating.
import type { Level } from '../assessment/index.ts';

export const REGISTER_CAPABILITIES = [
  'managing-supplier-relations',
  'managing-risk',
  'planning-and-prioritisation',
] as const;

export const LEVEL_NAMES: Readonly<Record<Level, string>> = {
  1: 'Outstanding',
  2: 'Good',
  3: 'Adequate',
  4: 'Needs Improvement',
  5: 'Inadequate',
};

/** How strong the evidence behind a level is, weakest first. */
export const REGISTER_EVIDENCE = [
  'self-assessed',
  'asserted',
  'documented',
  'independently-verified',
] as const;
export type RegisterEvidence = (typeof REGISTER_EVIDENCE)[number];

export const EVIDENCE_WORDS: Readonly<Record<RegisterEvidence, string>> = {
  'self-assessed': 'Self-assessed by staff (no agreed level)',
  asserted: 'Agreed, evidence asserted',
  documented: 'Agreed, evidence documented',
  'independently-verified': 'Agreed, evidence independently verified',
};

export interface CountedCapability {
  readonly capabilityId: string;
  readonly name: string;
  readonly level: Level;
  readonly evidence: RegisterEvidence;
}

export interface RegisterRating {
  readonly level: Level;
  readonly levelName: string;
  readonly evidence: RegisterEvidence;
  readonly counted: readonly CountedCapability[];
}

export type RatingRefusal = { readonly refused: string };

/**
 * The rating from the levels of a finalised round (each capability's level to act on — agreed,
 * else the respondents' median — with its evidence). Refused when a counted capability has no
 * level: a rating must rest on all three.
 */
export function registerRating(
  levels: ReadonlyArray<{
    readonly capabilityId: string;
    readonly name: string;
    readonly level: Level | null;
    readonly evidence: RegisterEvidence;
  }>,
): RegisterRating | RatingRefusal {
  const counted: CountedCapability[] = [];
  for (const id of REGISTER_CAPABILITIES) {
    const found = levels.find((l) => l.capabilityId === id);
    if (!found || found.level === null)
      return {
        refused: `The latest finalised assessment has no level for ${found?.name ?? id}, so no rating can be derived`,
      };
    counted.push({
      capabilityId: id,
      name: found.name,
      level: found.level,
      evidence: found.evidence,
    });
  }
  const level = Math.max(...counted.map((c) => c.level)) as Level;
  const evidence = REGISTER_EVIDENCE[
    Math.min(...counted.map((c) => REGISTER_EVIDENCE.indexOf(c.evidence)))
  ] as RegisterEvidence;
  return { level, levelName: LEVEL_NAMES[level], evidence, counted };
}

export const isRatingRefusal = (r: RegisterRating | RatingRefusal): r is RatingRefusal =>
  'refused' in r;

/** The rule in plain words, shown wherever a rating is. */
export const RATING_RULE =
  'The rating is the weakest of three levels in the organisation’s latest finalised capability assessment: Managing Supplier Relations, Managing Risk, and Planning & Prioritisation. Levels run from 1 Outstanding to 5 Inadequate; a lower number is better. The evidence shown is the weakest evidence behind those three levels.';
