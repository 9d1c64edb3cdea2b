// The guided triage of an incident report into the paper's four just-culture classes (section
// 4.4: "justifiable experimentation (which requires disseminating findings), blameless human error
// (which requires system improvements), at-risk behaviour (which requires coaching), and reckless
// conduct (which may require sanction)"). The questions follow Reason's (1998) culpability decision
// tree, as the NHS's Incident Decision Tree adapted it: deliberate harm or a knowingly unjustified
// risk first, then a sanctioned experiment, then whether a safe procedure was departed from, and
// last the substitution test ("would another competent person, in the same situation, have done the
// same?"). Only the questions on the path are asked; the class follows from the answers, so two
// reviewers who answer alike reach the same class (the "predictable" process of Table 4).
import { type JustCultureClass } from './incidents.ts';

export const TRIAGE_QUESTIONS = [
  {
    id: 'knowingRisk',
    question:
      'Did anyone intend harm, or knowingly take a risk they knew to be unjustified (for example switching off a safeguard they knew was essential)?',
    hint: 'Reckless conduct is a conscious disregard of a substantial and unjustified risk, not a mistake.',
  },
  {
    id: 'sanctionedTrial',
    question:
      'Was this part of a planned and approved trial or experiment, kept within the limits agreed for it?',
    hint: 'Trying something new within agreed limits is justifiable experimentation, even when it fails.',
  },
  {
    id: 'departedFromProcedure',
    question: 'Did someone depart from a safe procedure, rule or instruction?',
    hint: 'For example using a tool for a task it was not approved for, or skipping a human check.',
  },
  {
    id: 'othersWouldToo',
    question:
      'Would another trained, competent person in the same situation probably have done the same (because the procedure was unclear or unworkable, or the shortcut had become normal)?',
    hint: 'The substitution test: when the answer is yes, the system invited the error.',
  },
] as const;

export type TriageQuestionId = (typeof TRIAGE_QUESTIONS)[number]['id'];
export type TriageAnswers = Partial<Record<TriageQuestionId, boolean>>;

export interface TriageOutcome {
  /** The class, once the answers given decide it. */
  readonly class: JustCultureClass | null;
  /** The questions on the path, in order, with the answer given to each (undefined: not yet). */
  readonly path: readonly { readonly id: TriageQuestionId; readonly answer: boolean | undefined }[];
  /** The next question to answer, when the class is not decided yet. */
  readonly next: TriageQuestionId | null;
}

/** Walks the decision tree with the answers given; later answers off the path are ignored. */
export function triage(answers: TriageAnswers): TriageOutcome {
  const path: { id: TriageQuestionId; answer: boolean | undefined }[] = [];
  const ask = (id: TriageQuestionId): boolean | undefined => {
    const answer = answers[id];
    path.push({ id, answer });
    return answer;
  };
  const done = (c: JustCultureClass): TriageOutcome => ({ class: c, path, next: null });
  const pending = (): TriageOutcome => ({
    class: null,
    path,
    next: path[path.length - 1]?.id ?? 'knowingRisk',
  });

  const knowing = ask('knowingRisk');
  if (knowing === undefined) return pending();
  if (knowing) return done('reckless_conduct');
  const trial = ask('sanctionedTrial');
  if (trial === undefined) return pending();
  if (trial) return done('justifiable_experimentation');
  const departed = ask('departedFromProcedure');
  if (departed === undefined) return pending();
  if (!departed) return done('blameless_error');
  const substitution = ask('othersWouldToo');
  if (substitution === undefined) return pending();
  return done(substitution ? 'blameless_error' : 'at_risk_behaviour');
}

/** The answers on the path only, as stored with a triage (off-path answers are dropped). */
export function answersOnPath(answers: TriageAnswers): TriageAnswers {
  const out: TriageAnswers = {};
  for (const step of triage(answers).path)
    if (step.answer !== undefined) out[step.id] = step.answer;
  return out;
}
