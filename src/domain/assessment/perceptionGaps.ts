// Perception gaps in brief (issue 12, point 7). Listing every pair of groups one level apart buries
// the gap that matters; the paper (section 3.1, organisational learning) singles out the distance
// between leadership and frontline staff: staff "may see process flaws but remain silent", and
// "the example set by leadership" decides whether they speak. So per capability the largest gap
// comes first, the leadership–frontline gap is named where both groups exist, and the rest follow.
import type {
  GroupResult,
  LeadershipFrontline,
  PerceptionGap,
  PerceptionGapSummary,
} from './types.ts';
import { levelWithName } from './words.ts';

/**
 * Group names recognised as leadership or as frontline staff, compared after normalising: lower
 * case, anything but letters and digits read as a space ("Front-line staff" → "front line staff").
 * Middle managers are neither: the paper's contrast is between those who set direction and those
 * who do the work.
 */
export const LEADERSHIP_NAMES: readonly string[] = [
  'leadership',
  'leadership team',
  'leaders',
  'senior leaders',
  'senior leader',
  'senior leadership',
  'senior leadership team',
  'slt',
  'senior management',
  'senior management team',
  'smt',
  'executive',
  'executives',
  'executive team',
  'executive board',
  'board',
  'directors',
  'institution leadership',
];

export const FRONTLINE_NAMES: readonly string[] = [
  'frontline',
  'front line',
  'frontline staff',
  'front line staff',
  'frontline workers',
  'front line workers',
  'frontline teams',
  'front line teams',
  'operational staff',
  'operations staff',
  'operational teams',
  'operations',
  'practitioners',
];

export function normaliseGroupName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function groupRole(name: string): 'leadership' | 'frontline' | null {
  const n = normaliseGroupName(name);
  if (LEADERSHIP_NAMES.includes(n)) return 'leadership';
  if (FRONTLINE_NAMES.includes(n)) return 'frontline';
  return null;
}

function samePair(gap: PerceptionGap, a: string, b: string): boolean {
  return (
    (gap.weakerGroupId === a && gap.strongerGroupId === b) ||
    (gap.weakerGroupId === b && gap.strongerGroupId === a)
  );
}

/**
 * The leadership and frontline groups that are shown, the pair furthest apart when several are
 * recognised, and their gap. Null unless at least one of each is shown with a level.
 */
export function leadershipFrontline(
  groups: readonly GroupResult[],
  gaps: readonly PerceptionGap[],
): LeadershipFrontline | null {
  const shown = groups.filter((g) => !g.hidden && g.consensus !== null);
  const leaders = shown.filter((g) => groupRole(g.name) === 'leadership');
  const frontline = shown.filter((g) => groupRole(g.name) === 'frontline');
  let best: { l: GroupResult; f: GroupResult; distance: number } | null = null;
  for (const l of leaders) {
    for (const f of frontline) {
      const distance = Math.abs((l.consensus ?? 0) - (f.consensus ?? 0));
      if (!best || distance > best.distance) best = { l, f, distance };
    }
  }
  if (!best) return null;
  const { l, f } = best;
  const gap = gaps.find((g) => samePair(g, l.groupId, f.groupId)) ?? null;
  const text = gap
    ? gap.explanation
    : `${l.name} and ${f.name} see this capability alike (${levelWithName(l.consensus ?? 3)}).`;
  return { leadershipGroupName: l.name, frontlineGroupName: f.name, gap, text };
}

/**
 * The gaps summarised: the largest first (the leadership–frontline gap when it is as large as any),
 * then every other gap. `gaps` must hold only gaps between shown groups, as summariseCapability's do.
 */
export function summarisePerceptionGaps(
  groups: readonly GroupResult[],
  gaps: readonly PerceptionGap[],
): PerceptionGapSummary | null {
  if (gaps.length === 0) return null;
  const sorted = [...gaps].sort((a, b) => b.levels - a.levels);
  const lf = leadershipFrontline(groups, sorted);
  const top = sorted[0] as PerceptionGap;
  const largest = lf?.gap && lf.gap.levels === top.levels ? lf.gap : top;
  const others = sorted.filter((g) => g !== largest && g !== lf?.gap);
  const isLf = lf?.gap === largest;
  const headline = isLf
    ? `Largest gap, between leadership and frontline staff: ${largest.explanation}`
    : `Largest gap: ${largest.explanation}`;
  return { largest, leadershipFrontline: lf, others, headline };
}
