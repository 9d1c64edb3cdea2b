// The paper's two worked examples as delivery chains, for the demo organisation and for tests.
// (a) Planning permits (section 3.2): manual review by planners is the bottleneck; an online
//     portal or faster printing leaves throughput unchanged, AI review support raises it and moves
//     the constraint to the decision stage.
// (b) Police → prosecution → courts (section 2.2.1): AI-drafted witness statements cut officers'
//     time but add verification and rework for prosecutors and challenges in court, moving the
//     bottleneck downstream and lowering just outcomes.
// The numbers are illustrative, chosen so that the effects are clear; they are not measurements.
import { parseChainOrThrow } from './model.ts';
import type { DeliveryChain, DeliveryChainInput } from './model.ts';

const planner = { singular: 'planner', plural: 'planners' };

// Opening hours of the planning office (issue 13, point 4). Section 3.2 describes a council
// department whose "limited number of planners" are overwhelmed: office staff, who work weekdays.
// Each staffed stage is on duty Monday to Friday 09:00–16:30 — 7.5 hours a day, the 37.5-hour week
// the chain counted in before it had a calendar — so every stage's capacity a week, and with it the
// bottleneck at manual review (118%) and the 12.0 applications a week it can handle, are unchanged;
// what changes is that work arriving in the evening or at the weekend waits for Monday, which the
// lead time shows. A review takes 12.5 hours of a planner's time, more than a working day, so an
// unfinished file is put down at 16:30 and picked up the next working morning (`atShiftEnd:
// "pause"`); were it finished overnight, each planner would work a second evening shift and the
// simulated review capacity would exceed the staff's hours by about a fifth (measured: 14.7
// applications a week instead of 12.0), hiding the bottleneck the paper describes.
const OFFICE_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const officeHours = (
  servers: number,
): NonNullable<DeliveryChainInput['stages'][number]['roster']> => ({
  shifts: [{ days: [...OFFICE_DAYS], from: '09:00', to: '16:30', servers }],
});

export const planningPermitChainJson: DeliveryChainInput = {
  version: 1,
  id: 'planning-permit',
  name: 'Planning permit applications',
  description:
    'A council planning service (paper section 3.2): a limited number of planners review complex applications by hand.',
  timeUnit: 'hour',
  // Calendar hours: the office's working week is in the rosters below.
  hoursPerWeek: 168,
  unitOfWork: { singular: 'application', plural: 'applications' },
  outcomeName: 'sound decisions (not overturned on appeal)',
  calendar: {
    start: '2026-01-05',
    // Applications come in mostly while the office is open (agents and applicants submit in the
    // working day); a tenth of that rate in the evenings and at weekends.
    weekly: {
      bands: [{ days: [...OFFICE_DAYS], from: '08:00', to: '18:00', multiplier: 1 }],
      otherwise: 0.1,
    },
  },
  inputs: [
    {
      id: 'case-system',
      name: 'Planning case-management system',
      kind: 'equipment',
      costPerWeek: 400,
    },
  ],
  stages: [
    {
      id: 'submission',
      name: 'Submission',
      organisation: 'Council planning service',
      servers: 2,
      serverName: { singular: 'admin officer', plural: 'admin officers' },
      service: { kind: 'lognormal', mean: 0.5, cv: 0.5 },
      costPerServerHour: 28,
      roster: officeHours(2),
      atShiftEnd: 'pause',
      routes: [{ to: 'validation', probability: 1 }],
    },
    {
      id: 'validation',
      name: 'Validation',
      organisation: 'Council planning service',
      servers: 1,
      serverName: { singular: 'technical officer', plural: 'technical officers' },
      service: { kind: 'gamma', mean: 1.5, cv: 0.6 },
      costPerServerHour: 32,
      roster: officeHours(1),
      atShiftEnd: 'pause',
      routes: [
        { to: 'manual-review', probability: 0.9 },
        { to: 'submission', probability: 0.1, rework: true },
      ],
    },
    {
      id: 'manual-review',
      name: 'Manual review',
      organisation: 'Council planning service',
      servers: 4,
      serverName: planner,
      service: { kind: 'lognormal', mean: 12.5, cv: 0.7 },
      costPerServerHour: 45,
      roster: officeHours(4),
      atShiftEnd: 'pause',
      routes: [{ to: 'approval', probability: 1 }],
    },
    {
      id: 'approval',
      name: 'Decision and approval',
      organisation: 'Council planning service',
      servers: 1,
      serverName: { singular: 'senior planner', plural: 'senior planners' },
      service: { kind: 'lognormal', mean: 2.4, cv: 0.5 },
      costPerServerHour: 60,
      roster: officeHours(1),
      atShiftEnd: 'pause',
      routes: [
        { to: 'printing', probability: 0.85 },
        { to: 'refused', probability: 0.15 },
      ],
    },
    {
      id: 'printing',
      name: 'Permit printing',
      organisation: 'Council planning service',
      servers: 1,
      serverName: { singular: 'print officer', plural: 'print officers' },
      service: { kind: 'exponential', mean: 0.5 },
      costPerServerHour: 25,
      roster: officeHours(1),
      atShiftEnd: 'pause',
      routes: [{ to: 'granted', probability: 1 }],
    },
  ],
  outputs: [
    { id: 'granted', name: 'Permit granted', outcomeContribution: 0.95 },
    { id: 'refused', name: 'Application refused', outcomeContribution: 0.9 },
  ],
  demand: [{ stage: 'submission', rate: 14.2, per: 'week' }],
  interventions: [
    {
      id: 'online-portal',
      name: 'Online submission portal',
      description:
        'Applicants submit online; the portal checks mandatory fields, so fewer applications are invalid.',
      changes: [
        {
          kind: 'replaceStage',
          stage: 'submission',
          with: {
            id: 'submission',
            name: 'Online submission portal',
            organisation: 'Council planning service',
            servers: 1,
            serverName: { singular: 'admin officer', plural: 'admin officers' },
            service: { kind: 'exponential', mean: 0.1 },
            costPerServerHour: 28,
            roster: officeHours(1),
            atShiftEnd: 'pause',
            routes: [{ to: 'validation', probability: 1 }],
          },
        },
        { kind: 'scaleRework', stage: 'validation', factor: 0.4 },
        {
          kind: 'addInput',
          input: {
            id: 'portal-licence',
            name: 'Online portal licence',
            kind: 'equipment',
            costPerWeek: 150,
          },
        },
      ],
      // A task (keying in paper forms) exchanged for one that needs less staff time: cell 2. Not
      // cell 1: no input is bought more cheaply, fewer inputs are used per output.
      typologyCells: [2],
    },
    {
      id: 'faster-printing',
      name: 'Faster permit printing',
      description: 'A new printer and template halve the time to print and issue a permit.',
      changes: [{ kind: 'scaleServiceTime', stage: 'printing', factor: 0.5 }],
      typologyCells: [5],
    },
    {
      id: 'ai-review-support',
      name: 'AI review support for planners',
      description:
        'A language model summarises each application and checks it against policy, so planners review 30% faster; licensed per application.',
      changes: [
        { kind: 'scaleServiceTime', stage: 'manual-review', factor: 0.7 },
        { kind: 'setCost', stage: 'manual-review', costPerCase: 6 },
      ],
      typologyCells: [5],
    },
  ],
};

// No calendar here, on purpose (issue 13, point 4). Section 2.2.1 uses this chain to show where the
// bottleneck sits along it — a shortage of detectives, then prosecutors' verification and court
// challenges once AI drafts the statements — a question of each organisation's capacity over a
// week, which the working-hours clock answers. Policing runs round the clock in shifts, so
// weekday opening hours would misstate the police stage; the court end, which does sit on weekdays
// in terms, is modelled with its rosters in the magistrates' court demo (demoCourts.ts).
export const policeProsecutionCourtsChainJson: DeliveryChainInput = {
  version: 1,
  id: 'police-prosecution-courts',
  name: 'Criminal cases: police → prosecution → courts',
  description:
    'A chain across three organisations (paper section 2.2.1). Police build the case file with witness statements, prosecutors verify it and decide whether to charge, courts hear the case.',
  timeUnit: 'hour',
  hoursPerWeek: 37.5,
  unitOfWork: { singular: 'case', plural: 'cases' },
  outcomeName: 'just outcomes',
  inputs: [],
  stages: [
    {
      id: 'police',
      name: 'Investigation and witness statements',
      organisation: 'Police force',
      servers: 9,
      serverName: { singular: 'investigating officer', plural: 'investigating officers' },
      service: { kind: 'gamma', mean: 9.5, cv: 0.8 },
      costPerServerHour: 40,
      routes: [{ to: 'prosecution', probability: 1 }],
    },
    {
      id: 'prosecution',
      name: 'Prosecution file review',
      organisation: 'Crown Prosecution Service',
      servers: 5,
      serverName: { singular: 'prosecutor', plural: 'prosecutors' },
      service: { kind: 'gamma', mean: 4, cv: 0.7 },
      costPerServerHour: 55,
      routes: [
        { to: 'courts', probability: 0.75 },
        { to: 'police', probability: 0.1, rework: true },
        { to: 'discontinued', probability: 0.15 },
      ],
    },
    {
      id: 'courts',
      name: 'Court hearings',
      organisation: 'HM Courts & Tribunals Service',
      servers: 2,
      serverName: { singular: 'courtroom', plural: 'courtrooms' },
      service: { kind: 'lognormal', mean: 2.5, cv: 0.6 },
      costPerServerHour: 120,
      routes: [
        { to: 'concluded', probability: 0.95 },
        { to: 'courts', probability: 0.05, rework: true },
      ],
    },
  ],
  outputs: [
    { id: 'concluded', name: 'Case concluded at court', outcomeContribution: 0.85 },
    { id: 'discontinued', name: 'Case discontinued', outcomeContribution: 0 },
  ],
  demand: [{ stage: 'police', rate: 30, per: 'week' }],
  interventions: [
    {
      id: 'ai-statements-police-view',
      name: 'AI-drafted witness statements (police time only)',
      description:
        'The case as a vendor might present it: officers spend 40% less time on statements, and nothing else changes.',
      changes: [{ kind: 'scaleServiceTime', stage: 'police', factor: 0.6 }],
      typologyCells: [5],
    },
    {
      id: 'ai-statements',
      name: 'AI-drafted witness statements (whole chain)',
      description:
        'Officers spend 40% less time, but less accurate statements must be verified by prosecutors (20% longer reviews, 9% more files sent back to police) and are challenged in court (15% more hearings, 10% longer); fewer cases reach a just outcome.',
      changes: [
        { kind: 'scaleServiceTime', stage: 'police', factor: 0.6 },
        { kind: 'scaleServiceTime', stage: 'prosecution', factor: 1.2 },
        { kind: 'addRework', stage: 'prosecution', share: 0.09, to: 'police' },
        { kind: 'addRework', stage: 'courts', share: 0.15 },
        { kind: 'scaleServiceTime', stage: 'courts', factor: 1.1 },
        { kind: 'setOutcomeContribution', output: 'concluded', outcomeContribution: 0.78 },
      ],
      typologyCells: [5, 6],
    },
  ],
};

/** The demo chains, parsed and frozen, keyed by id. */
/**
 * Household recycling collection (paper section 2.2.3): where confusion about the rules turns into
 * rounds run again and rejected loads. The demo links the comment theme about it to the first stage.
 */
export const householdRecyclingChainJson: DeliveryChainInput = {
  version: 1,
  id: 'household-recycling',
  name: 'Household recycling collection',
  description:
    'Kerbside recycling from collection to reprocessing. Bins with the wrong items are tagged and left, so a round in ten is run again, and contaminated loads are rejected at the sorting facility: the rework and waste that confusion about the rules causes.',
  timeUnit: 'hour',
  hoursPerWeek: 37.5,
  unitOfWork: { singular: 'collection round', plural: 'collection rounds' },
  outcomeName: 'tonnes recycled',
  inputs: [{ id: 'vehicles', name: 'Collection vehicles', kind: 'equipment', costPerWeek: 2400 }],
  stages: [
    {
      id: 'kerbside-collection',
      name: 'Kerbside collection and bin checks',
      organisation: 'Council waste service',
      servers: 6,
      serverName: { singular: 'crew', plural: 'crews' },
      service: { kind: 'lognormal', mean: 6.4, cv: 0.3 },
      costPerServerHour: 95,
      // A round in ten has to be run again: bins with the wrong items were tagged and left.
      routes: [
        { to: 'sorting', probability: 0.9 },
        { to: 'kerbside-collection', probability: 0.1, rework: true },
      ],
    },
    {
      id: 'sorting',
      name: 'Sorting at the materials recovery facility',
      organisation: 'Recycling contractor',
      servers: 3,
      serverName: { singular: 'sorting line', plural: 'sorting lines' },
      service: { kind: 'gamma', mean: 3, cv: 0.5 },
      costPerServerHour: 140,
      routes: [
        { to: 'recycled', probability: 0.82 },
        { to: 'rejected', probability: 0.18 },
      ],
    },
  ],
  outputs: [
    { id: 'recycled', name: 'Material sent for reprocessing', outcomeContribution: 1 },
    { id: 'rejected', name: 'Load rejected as contaminated', outcomeContribution: 0 },
  ],
  demand: [{ stage: 'kerbside-collection', rate: 30, per: 'week' }],
  interventions: [
    {
      id: 'clearer-recycling-rules',
      name: 'Clearer recycling rules: one-page guide and bin stickers',
      description:
        'The commonest complaint is confusion about what goes in which bin. Clear rules should halve the bins tagged and left (and the rounds run again for them), and cut the loads rejected as contaminated from 18% to 12%.',
      changes: [
        { kind: 'scaleRework', stage: 'kerbside-collection', factor: 0.5 },
        {
          kind: 'setRoutes',
          stage: 'sorting',
          routes: [
            { to: 'recycled', probability: 0.88 },
            { to: 'rejected', probability: 0.12 },
          ],
        },
      ],
    },
  ],
};

export const demoChains: Readonly<
  Record<'planningPermit' | 'policeProsecutionCourts', DeliveryChain>
> = {
  planningPermit: parseChainOrThrow(planningPermitChainJson),
  policeProsecutionCourts: parseChainOrThrow(policeProsecutionCourtsChainJson),
};
