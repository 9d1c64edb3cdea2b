// Incident and near-miss reporting with a just culture (paper section 4.4, Capability 9 –
// Governing Failure; Table 4). Staff of a member organisation report what went wrong, or nearly
// went wrong, with an AI system — anonymously if they choose. A reviewer triages each report with
// a guided decision aid (`triage.ts`) into the paper's four classes, and the response follows the
// class. A published threshold rule (`threshold.ts`) decides which reports go to independent review.

/** Whether harm happened or was narrowly avoided ("near misses are free lessons", Table 4). */
export const INCIDENT_KINDS = ['incident', 'near_miss'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const INCIDENT_KIND_WORDS: Readonly<Record<IncidentKind, string>> = {
  incident: 'Incident',
  near_miss: 'Near miss',
};

/**
 * How serious the harm was, or would have been (for a near miss): 1 is the least. This is a scale
 * of harm, not the paper's levels of capability, so it is always shown in words.
 */
export const SEVERITIES = [1, 2, 3, 4, 5] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_WORDS: Readonly<Record<Severity, { label: string; hint: string }>> = {
  1: { label: 'No harm', hint: 'Nobody was affected, or would have been.' },
  2: { label: 'Minor', hint: 'A small delay or inconvenience, put right quickly.' },
  3: {
    label: 'Moderate',
    hint: 'A wrong decision or lost service that took real effort to correct.',
  },
  4: {
    label: 'Major',
    hint: 'Lasting harm to people, their rights or money, or a serious breach of data.',
  },
  5: { label: 'Severe', hint: 'Harm to someone’s safety, liberty or livelihood.' },
};

export const isSeverity = (value: unknown): value is Severity =>
  typeof value === 'number' && (SEVERITIES as readonly number[]).includes(value);

/** The four classes of the paper's just culture (section 4.4), after Reason (1998). */
export const JUST_CULTURE_CLASSES = [
  'justifiable_experimentation',
  'blameless_error',
  'at_risk_behaviour',
  'reckless_conduct',
] as const;
export type JustCultureClass = (typeof JUST_CULTURE_CLASSES)[number];

export const isJustCultureClass = (value: unknown): value is JustCultureClass =>
  typeof value === 'string' && (JUST_CULTURE_CLASSES as readonly string[]).includes(value);

/** Each class in the paper's words, with the response it requires and the follow-up it asks for. */
export const CLASS_WORDS: Readonly<
  Record<
    JustCultureClass,
    {
      readonly label: string;
      /** The paper's response to this class (section 4.4). */
      readonly response: string;
      /** What the reviewer must record as the follow-up action. */
      readonly followUp: string;
      readonly followUpHint: string;
    }
  >
> = {
  justifiable_experimentation: {
    label: 'Justifiable experimentation',
    response: 'Share the findings',
    followUp: 'Findings to share',
    followUpHint:
      'What the experiment showed, for your organisation and the sector. You can publish them in the sector exchange once the report is closed.',
  },
  blameless_error: {
    label: 'Blameless human error',
    response: 'Improve the system',
    followUp: 'Change to the system',
    followUpHint:
      'What will change in the system, the process or the safeguards so the same slip is less likely, and who will make the change.',
  },
  at_risk_behaviour: {
    label: 'At-risk behaviour',
    response: 'Coaching',
    followUp: 'Coaching agreed',
    followUpHint:
      'The coaching or support agreed with the people involved, and any incentive or shortcut in the system that encouraged the risk.',
  },
  reckless_conduct: {
    label: 'Reckless conduct',
    response: 'May need sanction',
    followUp: 'Referral for a formal accountability process',
    followUpHint:
      'Who the case is referred to (for example HR or professional standards). The learning review and the accountability process stay separate.',
  },
};

export const INCIDENT_STATUSES = ['open', 'triaged', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_STATUS_WORDS: Readonly<Record<IncidentStatus, string>> = {
  open: 'Waiting for triage',
  triaged: 'Triaged – follow-up under way',
  closed: 'Closed',
};

/** Words the audit log and every page show for a report's author when no name was given. */
export const ANONYMOUS_REPORTER = 'Anonymous reporter';

/**
 * The same AI system, however it was typed: lower case, words only, so "Triage Bot" and
 * "triage-bot " count as one system for repetition.
 */
export function systemKey(name: string): string {
  return (name.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}
