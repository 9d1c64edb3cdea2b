// An initiative's lifecycle (issue 11): idea → assessed → approved → in delivery → live → evaluated,
// or stopped with a reason at any point before it is evaluated. Approval is the decision the paper
// exists for (section 3): it needs a readiness verdict of ready, or ready with conditions, and
// nothing else standing in the way (an ethics review for anything affecting the public, a required
// DPIA, risks above appetite not yet escalated: section 3.4). Going live records the go-live date
// the post-implementation evaluation compares before and after (section 3.1).
import { isIsoDate } from './dates.ts';
import type { InitiativeStatus } from './types.ts';

/** The longest reason for stopping an initiative, in characters. */
export const MAX_STOPPED_REASON = 2_000;

export const STATUS_WORDS: Readonly<Record<InitiativeStatus, string>> = {
  idea: 'Idea',
  assessed: 'Assessed',
  approved: 'Approved',
  'in-delivery': 'In delivery',
  live: 'Live',
  evaluated: 'Evaluated',
  stopped: 'Stopped',
};

/** Where each status may go next. Evaluated is reached by filing an evaluation, nothing else. */
export const NEXT_STATUSES: Readonly<Record<InitiativeStatus, readonly InitiativeStatus[]>> = {
  idea: ['assessed', 'stopped'],
  assessed: ['approved', 'idea', 'stopped'],
  approved: ['in-delivery', 'stopped'],
  'in-delivery': ['live', 'stopped'],
  live: ['stopped'],
  evaluated: [],
  stopped: ['idea'],
};

export type ApprovalVerdict = 'ready' | 'ready-with-conditions' | 'not-ready' | 'no-assessment';

export interface TransitionContext {
  /** The readiness verdict as it stands now. */
  readonly verdict: ApprovalVerdict;
  /** What else stops approval, in plain words (from the risk and governance rules). */
  readonly blockers: readonly string[];
  /** For going live: the go-live date, yyyy-mm-dd. */
  readonly liveFrom?: string | null;
  /** For stopping: why. */
  readonly stoppedReason?: string | null;
}

/** Why the move from one status to another cannot happen; empty when it can. */
export function transitionProblems(
  from: InitiativeStatus,
  to: InitiativeStatus,
  context: TransitionContext,
): string[] {
  if (!NEXT_STATUSES[from].includes(to)) {
    const allowed = NEXT_STATUSES[from].map((s) => `“${STATUS_WORDS[s]}”`);
    return [
      `An initiative whose status is “${STATUS_WORDS[from]}” cannot become “${STATUS_WORDS[to]}”` +
        (allowed.length > 0 ? `; it can become ${allowed.join(' or ')}` : ''),
    ];
  }
  const problems: string[] = [];
  if (to === 'approved') {
    if (context.verdict === 'not-ready') {
      problems.push(
        'It is not ready: close the capability gaps first, or change the initiative (section 3)',
      );
    }
    if (context.verdict === 'no-assessment') {
      problems.push('There is no capability assessment to judge readiness against: run one first');
    }
    problems.push(...context.blockers);
  }
  if (to === 'live') {
    const date = context.liveFrom?.trim() ?? '';
    if (date === '') problems.push('Enter the go-live date');
    else if (!isIsoDate(date))
      problems.push('The go-live date must be a real date, such as 2026-03-31');
  }
  if (to === 'stopped') {
    const reason = context.stoppedReason?.trim() ?? '';
    if (reason === '') {
      problems.push('Say why the initiative is stopped, so the lesson is not lost (section 3.1)');
    } else if (reason.length > MAX_STOPPED_REASON) {
      problems.push(
        `Say why it is stopped in ${MAX_STOPPED_REASON.toLocaleString('en-GB')} characters or fewer`,
      );
    }
  }
  return problems;
}
