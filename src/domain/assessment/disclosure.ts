// Disclosure control (issue 12, point 2): what of a round's figures may be shown so that no one's
// answer can be read, or worked out by arithmetic, from any page or export. One rule, used by every
// surface (results page, heat map, profile, CSVs, JSON report, PDF, API), so they cannot disagree.
//
// The rule is the threshold rule with complementary (secondary) suppression that statistical
// agencies apply to frequency tables (ONS, "Disclosure control guidance for tables produced from
// surveys"; Eurostat/Hundepool et al., "Handbook on Statistical Disclosure Control", chapter 4):
//  1. primary suppression: a group where fewer than `minGroupSize` people gave a level is hidden;
//  2. complementary suppression: the overall figures minus every shown group (the residual: the
//     hidden groups together, plus answers in no group) must themselves be empty or at least
//     `minGroupSize` people — in ratings and in answers (so don't-knows cannot be subtracted out
//     either). Otherwise the smallest shown group is hidden too, and so on;
//  3. if even the overall figures are too small (fewer than `minGroupSize` ratings), no distribution
//     is shown at all: only how many answered.
/** One cell of a table to protect: a group, with how many gave a level and how many answered. */
export interface DisclosureCell {
  readonly id: string;
  /**
   * How many gave a level; null when already hidden (a stored result keeps no figures for hidden
   * groups, which is no loss: the rule needs only the shown groups and the total).
   */
  readonly rated: number | null;
  /** How many answered, don't-knows included; null when already hidden. */
  readonly responses: number | null;
}

export interface DisclosureInput {
  readonly minGroupSize: number;
  /** Every answer, in a group or not. */
  readonly overall: { readonly rated: number; readonly responses: number };
  /** In display order; ties between equally small groups hide the later one first. */
  readonly groups: readonly DisclosureCell[];
}

export interface DisclosureDecision {
  /** False when fewer than `minGroupSize` gave a level overall: no distribution may be shown. */
  readonly overallShown: boolean;
  /** Groups hidden because they are too small themselves. */
  readonly primary: readonly string[];
  /** Groups of adequate size hidden so that the primary ones cannot be found by subtraction. */
  readonly secondary: readonly string[];
  /** Every group that is shown, in the order given. */
  readonly shown: readonly string[];
  /** What overall minus the shown groups leaves: the hidden groups together with answers in no group. */
  readonly residual: { readonly rated: number; readonly responses: number };
}

/** A count is safe to be derivable when it is nothing or covers at least `min` people. */
function safeCount(count: number, min: number): boolean {
  return count === 0 || count >= min;
}

/**
 * The threshold rule with complementary suppression (see the top of this file). Pure and
 * deterministic: the same counts always hide the same groups.
 */
export function disclosureControl(input: DisclosureInput): DisclosureDecision {
  const min = input.minGroupSize;
  const primary: string[] = [];
  const secondary: string[] = [];
  const shown: DisclosureCell[] = [];
  for (const group of input.groups) {
    if (group.rated === null || group.responses === null || group.rated < min) {
      primary.push(group.id);
    } else {
      shown.push(group);
    }
  }
  const residualOf = () => ({
    rated: input.overall.rated - shown.reduce((sum, g) => sum + (g.rated ?? 0), 0),
    responses: input.overall.responses - shown.reduce((sum, g) => sum + (g.responses ?? 0), 0),
  });
  let residual = residualOf();
  while (
    shown.length > 0 &&
    !(safeCount(residual.rated, min) && safeCount(residual.responses, min))
  ) {
    // The smallest shown group hides the least; among equals, the one listed last.
    let smallest = shown.length - 1;
    for (let i = shown.length - 2; i >= 0; i--) {
      const a = shown[i] as DisclosureCell;
      const b = shown[smallest] as DisclosureCell;
      if ((a.rated ?? 0) < (b.rated ?? 0)) smallest = i;
      else if ((a.rated ?? 0) === (b.rated ?? 0) && (a.responses ?? 0) < (b.responses ?? 0)) {
        smallest = i;
      }
    }
    const [hidden] = shown.splice(smallest, 1);
    if (hidden) secondary.push(hidden.id);
    residual = residualOf();
  }
  return {
    overallShown: input.overall.rated >= min,
    primary,
    secondary,
    shown: shown.map((g) => g.id),
    residual,
  };
}

/** The neutral label of respondents whose group may not be named, in the responses export. */
export const HIDDEN_GROUPS_LABEL = 'Hidden groups (combined)';

/**
 * The groups whose label may appear beside individual responses (the un-named responses CSV).
 * A label is kept only for a group shown on every capability (`shownEverywhere`); every other
 * respondent is put in one combined bucket (global recoding of rare categories, as agencies do
 * for microdata), and the bucket itself must be empty or hold at least `minGroupSize` respondents
 * — else the smallest labelled group joins it, by the same rule as the tables.
 */
export function labelledGroups(
  minGroupSize: number,
  respondentsByGroup: ReadonlyMap<string, number>,
  totalRespondents: number,
  shownEverywhere: ReadonlySet<string>,
): Set<string> {
  const decision = disclosureControl({
    minGroupSize,
    overall: { rated: totalRespondents, responses: totalRespondents },
    groups: [...respondentsByGroup].map(([id, n]) => {
      const eligible = shownEverywhere.has(id) && n >= minGroupSize;
      return { id, rated: eligible ? n : null, responses: eligible ? n : null };
    }),
  });
  return new Set(decision.shown);
}
