// A person's correction of a wait kind (issue 13, point 1): the engine reads the kind of a wait
// from its shape, but the people who run the service know that a wait is a legal period or a
// wait on the applicant. A correction replaces the detected kind of one candidate wait, keeps the
// detected kind and the reason beside it, and the bottleneck is then named again by the same rule
// (nameBottleneck), so everything that reads the finding — the log page, its exports, the chain
// made from the log — follows the correction. Pure: corrections in, finding out.
import {
  WAIT_KIND_LABELS,
  nameBottleneck,
  type BottleneckCandidate,
  type BottleneckFinding,
  type NamedKind,
  type WaitKindCorrection,
} from './waits.ts';

/** The kinds a person may choose (not "too few observations": that is the engine's to say). */
export const CORRECTABLE_KINDS: readonly NamedKind[] = [
  'contention',
  'batching',
  'timer',
  'external',
];

/** Longest reason kept with a correction. */
export const MAX_CORRECTION_REASON = 1000;

/** The activities whose wait kind can be corrected: the classified candidates. */
export function correctableActivities(finding: BottleneckFinding): string[] {
  return finding.candidates.map((c) => c.activity);
}

/**
 * The finding with the corrections applied: each corrected candidate takes the person's kind (its
 * explanation says so, and keeps the engine's reading), and the bottleneck and the capacity
 * bottleneck are named again. Corrections for activities that are not candidates are ignored.
 */
export function applyCorrections(
  finding: BottleneckFinding,
  corrections: readonly WaitKindCorrection[],
): BottleneckFinding {
  if (corrections.length === 0) return finding;
  const byActivity = new Map(corrections.map((c) => [c.activity, c]));
  let changed = false;
  const candidates: BottleneckCandidate[] = finding.candidates.map((c) => {
    const correction = byActivity.get(c.activity);
    if (correction === undefined) return c;
    changed = true;
    const detected = c.detectedKind ?? c.kind;
    return {
      ...c,
      kind: correction.kind,
      kindLabel: WAIT_KIND_LABELS[correction.kind],
      detectedKind: detected,
      correction,
      explanation: `Corrected by ${correction.by} to ${WAIT_KIND_LABELS[correction.kind]}: “${correction.reason}”. The log’s evidence read it as ${WAIT_KIND_LABELS[detected]}: ${c.explanation}`,
    };
  });
  if (!changed) return finding;
  const corrected = nameBottleneck(candidates, finding.caveat);
  const note = `${corrections.filter((c) => candidates.some((x) => x.activity === c.activity)).length === 1 ? 'One wait kind was' : 'Some wait kinds were'} corrected by people who know the service; the finding uses the corrected kinds.`;
  return { ...corrected, statement: `${corrected.statement} ${note}` };
}
