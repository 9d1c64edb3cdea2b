// The demo's incidents and sector exchange (issue 15, points 6, 7 and 10): the agency publishes a
// threshold for independent review (two versions); member councils' staff report incidents and
// near misses — one anonymously — triaged into each just-culture class, one above the threshold
// (harm reached the public); a closed near miss becomes a lesson shared with the sector; and the
// exchange holds an item of every kind, an endorsed case study, a component used by three other
// councils and a problem statement joined by two. Ashford Vale also has an officer
// (officer@ashford-vale.example, role member) who can report. Deterministic.
import {
  lessonFromIncident,
  incidentToLesson,
  triageIncident,
} from '../services/sectorIncidents.ts';
import {
  DEFAULT_REVIEW_RULE,
  exchangeSearchText,
  systemKey,
  type ExchangeDraft,
  type TriageAnswers,
} from '../domain/sector/index.ts';
import type { OrgScope, Repositories } from '../storage/index.ts';

export interface DemoMember {
  readonly slug: string;
  readonly organisationId: string;
  readonly adminId: string;
  readonly name: string;
}

const LABEL = 'System (demo set-up)';

export async function seedDemoIncidentsAndExchange(
  repositories: Repositories,
  input: {
    readonly institutionId: string;
    readonly institutionAdmin: string | null;
    readonly members: readonly DemoMember[];
    readonly passwordHash: string;
  },
): Promise<void> {
  const { platform, scope } = repositories;
  const bySlug = new Map(input.members.map((m) => [m.slug, m]));
  const as = (slug: string, userId?: string): OrgScope => {
    const m = bySlug.get(slug);
    if (!m) throw new Error(`demo member ${slug} missing`);
    return scope(m.organisationId, {
      userId: userId ?? m.adminId,
      label: `${m.name.split(' ')[0] ?? 'Council'} admin <admin@${slug}.example>`,
    });
  };

  // The agency's threshold: version 1 as the standard rule, version 2 two reports in 60 days.
  const agency = scope(input.institutionId, { userId: input.institutionAdmin, label: LABEL });
  await agency.sectorIncidents.publishRule(DEFAULT_REVIEW_RULE);
  await agency.sectorIncidents.publishRule({
    ...DEFAULT_REVIEW_RULE,
    repeatsAtLeast: 3,
    windowDays: 60,
  });

  // An officer at Ashford Vale, who reports.
  const ashford = bySlug.get('ashford-vale');
  if (!ashford) throw new Error('demo member ashford-vale missing');
  const officerId = await platform.createUser({
    email: 'officer@ashford-vale.example',
    name: 'Sam Okafor',
    passwordHash: input.passwordHash,
  });
  await scope(ashford.organisationId, { userId: null, label: LABEL }).addMember(
    officerId,
    'member',
    'demo set-up',
  );
  const officer = scope(ashford.organisationId, {
    userId: officerId,
    label: 'Sam Okafor <officer@ashford-vale.example>',
  });

  const report = async (
    reporter: OrgScope,
    r: {
      kind: 'incident' | 'near_miss';
      title: string;
      system: string;
      competency: string;
      what: string;
      on: string;
      harm: boolean;
      severity: number;
      anonymous: boolean;
    },
  ) =>
    reporter.sectorIncidents.report({
      institutionId: input.institutionId,
      kind: r.kind,
      title: r.title,
      systemName: r.system,
      systemKey: systemKey(r.system),
      competency: r.competency,
      whatHappened: r.what,
      occurredOn: r.on,
      harmToPublic: r.harm,
      severity: r.severity,
      anonymous: r.anonymous,
    });
  const triageAs = async (
    reviewer: OrgScope,
    id: string,
    answers: TriageAnswers,
    followUp: string,
  ) => {
    const incident = await reviewer.sectorIncidents.get(id);
    if (!incident) throw new Error('demo incident missing');
    await triageIncident(reviewer, incident, answers, followUp);
  };

  // Ashford Vale: an anonymous near miss (blameless error), closed and shared as a lesson.
  const nearMiss = await report(officer, {
    kind: 'near_miss',
    title: 'Letter drafting assistant nearly sent a resident another person’s details',
    system: 'Letter drafting assistant',
    competency: 'large-language-models',
    what: 'The assistant filled a council tax letter with the name and address from the previous case in the session. The officer noticed before sending. The tool keeps earlier cases in its context unless the session is reset, and nothing on screen says so.',
    on: '2026-10-14',
    harm: false,
    severity: 3,
    anonymous: true,
  });
  const ashfordAdmin = as('ashford-vale');
  await triageAs(
    ashfordAdmin,
    nearMiss,
    { knowingRisk: false, sanctionedTrial: false, departedFromProcedure: false },
    'Reset the assistant’s context between cases automatically, and show the case reference on every draft. Owner: the digital team, by the end of November.',
  );
  await ashfordAdmin.sectorIncidents.close(
    nearMiss,
    'The automatic reset went live on 20 November; drafts now show the case reference.',
  );
  const closed = await ashfordAdmin.sectorIncidents.get(nearMiss);
  if (closed) {
    await incidentToLesson(
      ashfordAdmin,
      closed,
      lessonFromIncident(closed, {
        whatWeWouldDoDifferently:
          'Test a drafting assistant with several cases in a row before go-live, not one case at a time.',
        ambition: 'pilot',
        outcome: 'partly',
      }),
      true,
    );
  }

  // Ashford Vale: a named incident, triaged as at-risk behaviour.
  const atRisk = await report(officer, {
    kind: 'incident',
    title: 'Chatbot answers used without the weekly check',
    system: 'Resident enquiries chatbot',
    competency: 'chatbots',
    what: 'The weekly sample check of chatbot answers was skipped for three weeks during a busy period; two wrong answers about bin collection dates went uncorrected.',
    on: '2026-11-02',
    harm: false,
    severity: 2,
    anonymous: false,
  });
  await triageAs(
    ashfordAdmin,
    atRisk,
    {
      knowingRisk: false,
      sanctionedTrial: false,
      departedFromProcedure: true,
      othersWouldToo: false,
    },
    'Coaching with the service manager on why the sample check matters; the check moves into the team’s weekly planning.',
  );

  // Brindley: an approved trial that went wrong — justifiable experimentation.
  const brindley = as('brindley');
  const trial = await report(brindley, {
    kind: 'incident',
    title: 'Pothole photo classifier trial missed most night-time reports',
    system: 'Pothole photo classifier',
    competency: 'computer-vision',
    what: 'In the approved four-week trial the classifier rated most photographs taken after dark as “no defect”. Inspectors checked every rating during the trial, so no repair was missed.',
    on: '2026-09-20',
    harm: false,
    severity: 2,
    anonymous: false,
  });
  await triageAs(
    brindley,
    trial,
    { knowingRisk: false, sanctionedTrial: true },
    'Share the night-time finding with other councils using photo classifiers, through the sector exchange.',
  );

  // Calderbrook: harm reached the public — above the threshold, to independent review.
  const calderbrook = as('calderbrook');
  const harm = await report(calderbrook, {
    kind: 'incident',
    title: 'Risk score delayed support for families',
    system: 'Early help risk score',
    competency: 'predictive-analytics',
    what: 'After a data feed changed format, the risk score rated 41 families as low need for five weeks. Their referrals waited in the routine queue instead of being seen within ten days.',
    on: '2026-10-30',
    harm: true,
    severity: 4,
    anonymous: false,
  });
  await triageAs(
    calderbrook,
    harm,
    { knowingRisk: false, sanctionedTrial: false, departedFromProcedure: false },
    'Check every data feed’s format before each scoring run and stop scoring when a field is missing; review the 41 families’ cases first.',
  );

  // Dunmere: reckless conduct — a safeguard switched off knowingly.
  const dunmere = as('dunmere');
  const reckless = await report(dunmere, {
    kind: 'incident',
    title: 'Human review step switched off in benefit decisions',
    system: 'Benefit change assistant',
    competency: 'natural-language-processing',
    what: 'A supervisor turned off the second-person review of the assistant’s proposed benefit changes to clear a backlog, against the documented safeguard. No wrong change was found in the sample checked afterwards.',
    on: '2026-11-12',
    harm: false,
    severity: 3,
    anonymous: false,
  });
  await triageAs(
    dunmere,
    reckless,
    { knowingRisk: true },
    'Referred to HR for the formal accountability process; the learning review of the backlog pressures continues separately.',
  );

  // Eastwick: a report waiting for triage.
  await report(as('eastwick'), {
    kind: 'near_miss',
    title: 'Transcription tool mislabelled a speaker in a safeguarding meeting',
    system: 'Meeting transcription',
    competency: 'speech-analytics',
    what: 'The transcript attributed a parent’s words to the social worker; it was corrected before the notes were shared.',
    on: '2026-11-25',
    harm: false,
    severity: 2,
    anonymous: true,
  });

  // ---- the exchange ----
  const publish = async (slug: string, draft: ExchangeDraft, capabilityName: string | null) => {
    const id = await as(slug).sectorExchange.publish(input.institutionId, {
      ...draft,
      searchText: exchangeSearchText(draft, capabilityName),
    });
    if (!id) throw new Error('demo exchange item not published');
    return id;
  };
  const caseStudy = await publish(
    'brindley',
    {
      kind: 'case_study',
      title: 'Triage of planning applications validation with document checks',
      capabilityId: 'planning-and-prioritisation',
      body: {
        problem:
          'Planning applications waited eleven days on average at validation, the bottleneck of the chain, because officers checked every document by hand.',
        tried:
          'A document-checking tool flags missing plans and certificates; officers review only the flagged applications.',
        budgetary: 'Not measured: the tool came with the existing planning system licence.',
        operational:
          'Lead time to validation fell from 11 to 4 days; cost per validated application fell from £62 to £41.',
        effectiveness:
          'Fewer applicants were asked twice for the same document; outcomes per output not yet measured.',
        advice:
          'Measure the stage before and after. The bottleneck moved to the case officers’ site visits, which is where the next effort should go.',
      },
    },
    'Planning & Prioritisation',
  );
  const component = await publish(
    'calderbrook',
    {
      kind: 'component',
      title: 'Contract clause: access to model performance data',
      capabilityId: 'managing-supplier-relations',
      body: {
        componentType: 'contract-clause',
        description:
          'Lets the council see the supplier’s accuracy and error figures for its own cases every month, so claims can be checked independently.',
        content:
          'The Supplier shall provide the Authority, monthly and at no extra charge, the performance data of the System for the Authority’s cases, including error rates by case type, in an open format.',
      },
    },
    'Managing Supplier Relations',
  );
  await publish(
    'eastwick',
    {
      kind: 'component',
      title: 'Model card template for council AI systems',
      capabilityId: 'managing-risk',
      body: {
        componentType: 'model-card',
        description:
          'A two-page model card that service managers can fill in: purpose, data, known limits, human checks, contacts.',
        content: 'Sections: purpose; data used; known limits; human checks; who to contact.',
      },
    },
    'Managing Risk',
  );
  const problem = await publish(
    'fellgate',
    {
      kind: 'problem',
      title: 'Reading handwritten social care forms',
      capabilityId: null,
      body: {
        pooling: 'joint-procurement',
        statement:
          'Adult social care assessments wait for staff to retype handwritten forms; every council we asked has the same queue.',
        need: 'Reliable handwriting recognition for our standard forms, with a human check of low-confidence fields.',
      },
    },
    null,
  );
  await publish(
    'greyholme',
    {
      kind: 'skills',
      title: 'Data engineer secondment',
      capabilityId: 'developing-new-ways-of-working',
      body: {
        offerType: 'secondment',
        offer:
          'A data engineer experienced in building event logs from case management systems, to help another council measure its delivery chain.',
        availability: 'Two days a week from February for six months.',
      },
    },
    'Developing New Ways of Working',
  );
  // Two members join the problem statement; three say they use the clause.
  for (const slug of ['greyholme', 'hartmoor'])
    await as(slug).sectorExchange.setJoined(problem, true);
  for (const slug of ['ashford-vale', 'brindley', 'dunmere'])
    await as(slug).sectorExchange.setJoined(component, true);
  await agency.sectorExchange.setEndorsed(caseStudy, true);
}
