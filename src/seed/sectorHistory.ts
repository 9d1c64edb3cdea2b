// Earlier AI incident reports in the demo sector (issue 15, points 6, 8 and 10), so the sector view
// has incidents by class over time: five more member councils reported in January to March 2026
// (five members in one quarter: shown on its own), while the later reports — one in July to
// September from a single council, the rest in October to December — are shown as one period,
// widened until its reports come from at least five members. Each is triaged by its council's
// admin into a just-culture class; none reaches the threshold for independent review (no harm to
// the public, low severity, each system once). Deterministic.
import { triageIncident } from '../services/sectorIncidents.ts';
import { systemKey, type TriageAnswers } from '../domain/sector/index.ts';
import type { Repositories } from '../storage/index.ts';
import type { DemoMember } from './sectorIncidents.ts';

const BLAMELESS: TriageAnswers = {
  knowingRisk: false,
  sanctionedTrial: false,
  departedFromProcedure: false,
};
const AT_RISK: TriageAnswers = {
  knowingRisk: false,
  sanctionedTrial: false,
  departedFromProcedure: true,
  othersWouldToo: false,
};
const EXPERIMENT: TriageAnswers = { knowingRisk: false, sanctionedTrial: true };

const EARLIER = [
  {
    slug: 'fellgate',
    kind: 'near_miss',
    title: 'Translation tool dropped a negative in a housing letter',
    system: 'Letter translation tool',
    competency: 'large-language-models',
    what: 'A translated letter said a tenant “is” eligible for a move where the English said “is not”. The housing officer’s read-through caught it before posting.',
    on: '2026-01-19',
    answers: BLAMELESS,
    followUp:
      'Every translated decision letter now goes to a second reader who speaks the language; the supplier was told of the error.',
  },
  {
    slug: 'greyholme',
    kind: 'incident',
    title: 'Meeting transcripts kept past their retention date',
    system: 'Meeting transcription service',
    competency: 'speech-analytics',
    what: 'Transcripts of team meetings were kept for a year in the transcription service although the council’s retention schedule says thirty days. No one outside the council saw them.',
    on: '2026-02-03',
    answers: AT_RISK,
    followUp:
      'Coaching for the service owner on the retention schedule; the thirty-day deletion is now set in the service, and checked monthly.',
  },
  {
    slug: 'hartmoor',
    kind: 'incident',
    title: 'Trial of automated grant checks paused after false rejections',
    system: 'Grant eligibility checker',
    competency: 'predictive-analytics',
    what: 'In the approved trial the checker flagged nine eligible applications as ineligible. Officers reviewed every flag during the trial, so no applicant was refused.',
    on: '2026-02-24',
    answers: EXPERIMENT,
    followUp:
      'Share with other councils that the checker misreads applications from joint households; the trial resumes with that case excluded.',
  },
  {
    slug: 'ivybridge-fields',
    kind: 'near_miss',
    title: 'Route planner sent a crew to a closed road',
    system: 'Waste collection route planner',
    competency: 'predictive-analytics',
    what: 'The planner routed a collection crew along a road closed for works; the driver noticed the signs. The closure had not been entered in the planner’s map.',
    on: '2026-03-09',
    answers: BLAMELESS,
    followUp: 'Road closures now feed into the planner from the highways system each morning.',
  },
  {
    slug: 'kestrel-downs',
    kind: 'incident',
    title: 'Summaries of complaints used without reading the originals',
    system: 'Complaint summariser',
    competency: 'large-language-models',
    what: 'Two complaint responses were drafted from the tool’s summaries alone; one missed the resident’s main point and had to be reissued.',
    on: '2026-03-23',
    answers: AT_RISK,
    followUp:
      'Coaching with the complaints team on reading the original before replying; the summary now links to the full complaint.',
  },
] as const;

export async function seedDemoIncidentHistory(
  repositories: Repositories,
  institutionId: string,
  members: readonly DemoMember[],
): Promise<void> {
  for (const spec of EARLIER) {
    const member = members.find((m) => m.slug === spec.slug);
    if (!member) throw new Error(`demo member ${spec.slug} missing`);
    const admin = repositories.scope(member.organisationId, {
      userId: member.adminId,
      label: `${member.name.split(' ')[0] ?? 'Council'} admin <admin@${spec.slug}.example>`,
    });
    const id = await admin.sectorIncidents.report({
      institutionId,
      kind: spec.kind,
      title: spec.title,
      systemName: spec.system,
      systemKey: systemKey(spec.system),
      competency: spec.competency,
      whatHappened: spec.what,
      occurredOn: spec.on,
      harmToPublic: false,
      severity: 2,
      anonymous: false,
    });
    const incident = await admin.sectorIncidents.get(id);
    if (!incident) throw new Error('demo incident missing');
    const triaged = await triageIncident(admin, incident, spec.answers, spec.followUp);
    if (!triaged.ok || triaged.refer) throw new Error(`demo incident ${spec.slug} not triaged`);
  }
}
