// Targets and the roadmap (issue 3, point 6): what moving one level up would look like for a
// capability. The paper treats the framework as a flexible diagnostic (section 3): the level needed
// depends on what the body means to attempt, so a target is the body's own choice, and the roadmap
// only restates the framework's indicators as actions — it does not invent advice.
//
// Which indicators become actions depends on the next level. The appendix tables describe good
// practice at 1 Outstanding and 2 Good, and shortcomings at 3 Adequate and below ("follow-through
// on actions is patchy", "data sit in separate operational silos"). Moving up to 1 or 2 means
// building the practices of that level ("Make sure that …"). Moving up from 5 or 4 means leaving
// behind the shortcomings of the current level, so those become the actions ("Tackle this: …"),
// most often seen first; the next level's own signs are shown only as what it looks like. The
// few lower-level indicators that state a practice ("The organisation can set out its basic
// needs") are marked `kind: "practice"` in the framework and are never turned into "Tackle this".
// The reverse also happens: a few indicators at 2 Good state what is still missing at that level
// ("There is no unified skills framework"). Turned into "Make sure that there is no unified skills
// framework" they would ask for the opposite of what the paper means, so they are read as
// shortcomings (SHORTCOMINGS_AT_GOOD) and are never actions to build; moving on from 2 Good to
// 1 Outstanding, they are what to leave behind.
import { getCapability, getCapabilityLevel, indicatorKind } from '../framework/index.ts';
import type { Framework, Indicator } from '../framework/index.ts';
import type { Answer, CapabilityResult, Level } from './types.ts';
import { levelWithName, levels } from './words.ts';

export interface RoadmapAction {
  readonly indicatorId: string;
  /** The indicator as the framework words it. */
  readonly indicatorText: string;
  /** The same observation as an action ("Make sure that …"). */
  readonly action: string;
  /** Respondents who said they already see it. */
  readonly seenBy: number;
  /** `build`: a practice to put in place. `leave-behind`: a shortcoming to leave behind. */
  readonly kind: 'build' | 'leave-behind';
}

/**
 * Indicators of 2 Good (and none yet of 1 Outstanding) that state a shortcoming still found at that
 * level rather than a practice (paper, appendix tables: "Incentives to share are inconsistent").
 * Ids are stable across framework versions, so the list holds for every version that uses them; a
 * framework document may also mark an indicator `kind: "shortcoming"` itself.
 */
export const SHORTCOMINGS_AT_GOOD: ReadonlySet<string> = new Set([
  'strengthening-innovation-networks.2.3',
  'strengthening-innovation-networks.2.5',
  'clarity-on-collaborative-performance.2.4',
  'clarity-on-collaborative-performance.2.5',
  'funding-and-coordinating-research.2.2',
  'funding-and-coordinating-research.2.3',
  'funding-and-coordinating-research.2.4',
  'maintaining-pressure-for-productivity.2.3',
  'maintaining-pressure-for-productivity.2.5',
  'flow-of-human-capital.2.4',
  'flow-of-human-capital.2.5',
  'flow-of-human-capital.2.6',
  'standardising-and-scaling-best-practice.2.4',
]);

/** Whether an indicator states a practice to build or a shortcoming to leave behind. */
export function indicatorStance(level: Level, indicator: Indicator): 'practice' | 'shortcoming' {
  if (indicator.kind !== undefined) return indicator.kind;
  if (SHORTCOMINGS_AT_GOOD.has(indicator.id)) return 'shortcoming';
  return indicatorKind(level, indicator);
}

export interface RoadmapTarget {
  readonly level: Level;
  /** current − target: levels still to climb; 0 or less means at or better than the target. */
  readonly levelsToGo: number;
  readonly met: boolean;
  readonly text: string;
}

/** Levels whose indicators describe practices to build; the others describe shortcomings. */
export const PRACTICE_LEVELS: readonly Level[] = [1, 2];

export interface Roadmap {
  readonly capabilityId: string;
  /**
   * `build`: the next level's practices not yet seen, as actions. `leave-behind`: the next level
   * still describes shortcomings, so the actions are the current level's shortcomings to tackle.
   * `top`: already at 1 Outstanding.
   */
  readonly kind: 'build' | 'leave-behind' | 'top';
  readonly currentLevel: Level;
  /** currentLevel − 1; null at 1 Outstanding. */
  readonly nextLevel: Level | null;
  readonly nextLevelDescription: string | null;
  /** Next-level indicators not yet seen by most respondents, as actions. */
  readonly actions: readonly RoadmapAction[];
  /** Next-level indicators most respondents already see (`build` only). */
  readonly alreadySeen: readonly RoadmapAction[];
  /** The next level's indicators, as the framework words them (for `leave-behind`: what it looks like). */
  readonly nextLevelIndicators: readonly string[];
  readonly evidence: readonly string[];
  readonly target: RoadmapTarget | null;
  readonly explanation: string;
}

export interface RoadmapOptions {
  /**
   * How many respondents answered. An indicator counts as seen when more than half of them ticked it.
   * Without it, an indicator counts as seen when anyone ticked it.
   */
  readonly respondents?: number;
}

/**
 * Turns an observable indicator into an action without changing its content: "Post-project reviews
 * are standard" → "Make sure that post-project reviews are standard." Acronyms and quoted words keep
 * their capitals.
 */
export function indicatorAsAction(text: string, lead = 'Make sure that'): string {
  const trimmed = text.trim().replace(/[.;:]+$/, '');
  if (trimmed === '') return '';
  const [first = '', second = ''] = trimmed;
  const lowerFirst =
    /[A-Z]/.test(first) && !/[A-Z]/.test(second) ? first.toLowerCase() + trimmed.slice(1) : trimmed;
  return `${lead} ${lowerFirst}.`;
}

/** A shortcoming to leave behind as an action: "Data are ignored" → "Tackle this: data are ignored." */
export function shortcomingAsAction(text: string): string {
  return indicatorAsAction(text, 'Tackle this:');
}

export function roadmap(
  framework: Framework,
  capabilityId: string,
  currentLevel: Level,
  targetLevel: Level | undefined,
  indicatorsSeenCounts: Readonly<Record<string, number>>,
  evidence: readonly string[],
  options: RoadmapOptions = {},
): Roadmap {
  const capability = getCapability(framework, capabilityId);
  if (!capability) throw new RangeError(`Unknown capability "${capabilityId}"`);

  const nextLevel = currentLevel > 1 ? ((currentLevel - 1) as Level) : null;
  const next = nextLevel === null ? undefined : getCapabilityLevel(capability, nextLevel);
  const respondents = options.respondents;
  const isSeen = (count: number) =>
    respondents === undefined ? count > 0 : respondents > 0 && count * 2 > respondents;

  const kind: Roadmap['kind'] =
    nextLevel === null ? 'top' : PRACTICE_LEVELS.includes(nextLevel) ? 'build' : 'leave-behind';
  const actions: RoadmapAction[] = [];
  const alreadySeen: RoadmapAction[] = [];
  // The current level's shortcomings, most often seen first: what to leave behind.
  const leaveBehind = (): RoadmapAction[] => {
    const current = getCapabilityLevel(capability, currentLevel);
    const shortcomings = (current?.indicators ?? []).filter(
      (indicator) => indicatorStance(currentLevel, indicator) === 'shortcoming',
    );
    const items = shortcomings.map((indicator, order) => ({
      order,
      item: {
        indicatorId: indicator.id,
        indicatorText: indicator.text,
        action: shortcomingAsAction(indicator.text),
        seenBy: indicatorsSeenCounts[indicator.id] ?? 0,
        kind: 'leave-behind' as const,
      },
    }));
    items.sort((x, y) => y.item.seenBy - x.item.seenBy || x.order - y.order);
    return items.map((x) => x.item);
  };
  if (kind === 'build') {
    for (const indicator of next?.indicators ?? []) {
      if (nextLevel !== null && indicatorStance(nextLevel, indicator) === 'shortcoming') continue;
      const seenBy = indicatorsSeenCounts[indicator.id] ?? 0;
      const item = {
        indicatorId: indicator.id,
        indicatorText: indicator.text,
        action: indicatorAsAction(indicator.text),
        seenBy,
        kind: 'build' as const,
      };
      (isSeen(seenBy) ? alreadySeen : actions).push(item);
    }
    // From 2 Good, reaching 1 Outstanding also means leaving behind what 2 Good still lacks.
    if (PRACTICE_LEVELS.includes(currentLevel)) actions.push(...leaveBehind());
  } else if (kind === 'leave-behind') {
    actions.push(...leaveBehind());
  }

  const target = targetLevel === undefined ? null : describeTarget(currentLevel, targetLevel);
  const seenRule =
    respondents === undefined
      ? 'not yet seen by any respondent'
      : respondents === 1
        ? 'not yet seen by the one respondent'
        : `not yet seen by more than half of the ${respondents} respondents`;
  let explanation: string;
  if (nextLevel === null) {
    explanation = `${capability.name} is at ${levelWithName(1)}, the highest level; there is no next level.`;
  } else if (kind === 'build') {
    const alsoLeave = actions.some((a) => a.kind === 'leave-behind')
      ? ` Then what ${levelWithName(currentLevel)} still lacks, to leave behind.`
      : '';
    explanation = `To move from ${levelWithName(currentLevel)} to ${levelWithName(nextLevel)}: the practices of ${levelWithName(nextLevel)} ${seenRule}, written as actions.${alsoLeave}`;
  } else {
    explanation = `To move from ${levelWithName(currentLevel)} to ${levelWithName(nextLevel)}: the framework describes ${levelWithName(nextLevel)} by its shortcomings too, so the actions are the shortcomings of ${levelWithName(currentLevel)} to leave behind, the ones most respondents see first. The practices to build begin at ${levelWithName(2)}.`;
  }

  return {
    capabilityId,
    currentLevel,
    nextLevel,
    kind,
    nextLevelDescription: next?.description ?? null,
    actions,
    alreadySeen,
    nextLevelIndicators: (next?.indicators ?? []).map((indicator) => indicator.text),
    evidence: evidence.map((item) => item.trim()).filter((item) => item.length > 0),
    target,
    explanation,
  };
}

/** "2 levels to go to reach your target of 2 Good" or "At or better than your target of 3 Adequate". */
export function describeTarget(currentLevel: Level, targetLevel: Level): RoadmapTarget {
  const levelsToGo = currentLevel - targetLevel;
  const met = levelsToGo <= 0;
  return {
    level: targetLevel,
    levelsToGo,
    met,
    text: met
      ? `At or better than your target of ${levelWithName(targetLevel)}`
      : `${levels(levelsToGo)} to go to reach your target of ${levelWithName(targetLevel)}`,
  };
}

/** How many respondents ticked each indicator of a capability: the input `roadmap` expects. */
export function countIndicatorsSeen(
  answers: readonly Answer[],
  capabilityId: string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    if (answer.capabilityId !== capabilityId) continue;
    for (const id of new Set(answer.indicatorsSeen)) counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** The non-empty evidence respondents gave for a capability, in answer order. */
export function evidenceGiven(answers: readonly Answer[], capabilityId: string): string[] {
  return answers
    .filter((answer) => answer.capabilityId === capabilityId)
    .map((answer) => answer.evidence.trim())
    .filter((evidence) => evidence.length > 0);
}

/**
 * The roadmap from a capability's result: from the agreed level when there is one, else from the
 * consensus; "most respondents" counts against everyone who answered the question. Undefined when
 * there is no level to start from (no one gave a level and nothing was agreed).
 */
export function capabilityRoadmap(
  framework: Framework,
  result: CapabilityResult,
  options: {
    readonly targetLevel?: Level;
    readonly agreedLevel?: Level;
    readonly evidence?: readonly string[];
  } = {},
): Roadmap | undefined {
  const current = options.agreedLevel ?? result.consensus;
  if (current === null) return undefined;
  return roadmap(
    framework,
    result.capabilityId,
    current,
    options.targetLevel,
    // Snapshots written before results carried indicator counts have none.
    result.indicatorsSeen ?? {},
    options.evidence ?? [],
    { respondents: result.responses },
  );
}

// ---- Trackable roadmap items (issue 12, point 6) ----
// An action someone has taken on: who owns it, by when, how it stands, notes, and the AI initiative
// it feeds. The item keeps the action's words and capability, so it survives the roadmap being
// generated again from new answers.

export const ROADMAP_ITEM_STATUSES = ['not-started', 'in-progress', 'blocked', 'done'] as const;
export type RoadmapItemStatus = (typeof ROADMAP_ITEM_STATUSES)[number];

/** The words and GOV.UK tag colour of each status. */
export const ROADMAP_ITEM_STATUS_TAGS: Readonly<
  Record<RoadmapItemStatus, { readonly text: string; readonly classes: string }>
> = {
  'not-started': { text: 'Not started', classes: 'govuk-tag--grey' },
  'in-progress': { text: 'In progress', classes: 'govuk-tag--blue' },
  blocked: { text: 'Blocked', classes: 'govuk-tag--red' },
  done: { text: 'Done', classes: 'govuk-tag--green' },
};

export interface RoadmapItemState {
  readonly status: RoadmapItemStatus;
  /** ISO date (YYYY-MM-DD) or null. */
  readonly dueOn: string | null;
}

/** Overdue: a due date before today and not done. `today` is an ISO date. */
export function isOverdue(item: RoadmapItemState, today: string): boolean {
  return item.status !== 'done' && item.dueOn !== null && item.dueOn < today;
}

export interface RoadmapItemRow {
  readonly capabilityName: string;
  readonly action: string;
  readonly roundTitle: string;
  readonly owner: string | null;
  readonly dueOn: string | null;
  readonly status: RoadmapItemStatus;
  readonly overdue: boolean;
  readonly initiative: string | null;
  readonly notes: string;
  readonly updatedAt: string;
}

export const ROADMAP_ITEMS_CSV_COLUMNS = [
  'Capability',
  'Action',
  'Round',
  'Owner',
  'Due date',
  'Status',
  'Overdue',
  'Linked initiative',
  'Notes',
  'Last changed',
] as const;

/** The items as CSV (RFC 4180, CRLF line ends; text that a spreadsheet would run is defused). */
export function roadmapItemsToCsv(rows: readonly RoadmapItemRow[]): string {
  const lines = [ROADMAP_ITEMS_CSV_COLUMNS.map(csvCell).join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.capabilityName,
        row.action,
        row.roundTitle,
        row.owner ?? '',
        row.dueOn ?? '',
        ROADMAP_ITEM_STATUS_TAGS[row.status].text,
        row.overdue ? 'Yes' : 'No',
        row.initiative ?? '',
        row.notes,
        row.updatedAt,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
