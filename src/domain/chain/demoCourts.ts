// A demo chain with opening hours (issue 13, point 4; paper section 2.2.1, the courts at the end of
// the police → prosecution → courts chain): a magistrates' court that sits on weekdays, in terms,
// with legal advisers shared between first hearings and trials. Illustrative numbers, chosen so the
// weekend and the summer vacation show in the lead time; not measurements.
import type { DeliveryChainInput } from './model.ts';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

export const magistratesCourtChainJson: DeliveryChainInput = {
  version: 1,
  id: 'magistrates-court',
  name: 'Magistrates’ court hearings',
  description:
    'Charged cases listed and heard in a magistrates’ court that sits on weekdays in terms (paper section 2.2.1). Legal advisers are shared between first hearings and trials; the court does not sit in the summer and Christmas vacations, while new cases keep arriving.',
  timeUnit: 'hour',
  hoursPerWeek: 168,
  unitOfWork: { singular: 'case', plural: 'cases' },
  outcomeName: 'just outcomes',
  calendar: {
    start: '2026-01-05',
    // Charges arrive mostly in office hours, a trickle at other times.
    weekly: {
      bands: [{ days: [...WEEKDAYS], from: '08:00', to: '18:00', multiplier: 1 }],
      otherwise: 0.1,
    },
    closures: [{ name: 'Christmas and New Year bank holidays', from: '12-25', to: '01-01' }],
  },
  pools: [
    {
      id: 'legal-advisers',
      name: 'Legal advisers',
      servers: 3,
      serverName: { singular: 'legal adviser', plural: 'legal advisers' },
      costPerServerHour: 45,
      roster: {
        shifts: [{ days: [...WEEKDAYS], from: '10:00', to: '16:00', servers: 3 }],
        closures: [{ name: 'Summer vacation', from: '08-01', to: '08-21' }],
      },
    },
  ],
  stages: [
    {
      id: 'listing',
      name: 'Listing',
      organisation: 'HM Courts and Tribunals Service',
      servers: 2,
      serverName: { singular: 'listing officer', plural: 'listing officers' },
      service: { kind: 'exponential', mean: 0.5 },
      costPerServerHour: 28,
      roster: { shifts: [{ days: [...WEEKDAYS], from: '09:00', to: '17:00', servers: 2 }] },
      routes: [{ to: 'first-hearing', probability: 1 }],
    },
    {
      id: 'first-hearing',
      name: 'First hearing',
      organisation: 'Magistrates’ court',
      servers: 1,
      pool: 'legal-advisers',
      service: { kind: 'lognormal', mean: 0.5, cv: 0.8 },
      routes: [
        { to: 'sentenced', probability: 0.6 },
        { to: 'trial', probability: 0.35 },
        { to: 'exit', probability: 0.05 },
      ],
    },
    {
      id: 'trial',
      name: 'Trial',
      organisation: 'Magistrates’ court',
      servers: 1,
      pool: 'legal-advisers',
      service: { kind: 'lognormal', mean: 2.5, cv: 0.6 },
      routes: [
        { to: 'verdict', probability: 0.9 },
        { to: 'trial', probability: 0.1, rework: true },
      ],
    },
  ],
  outputs: [
    { id: 'sentenced', name: 'Guilty plea, sentenced', outcomeContribution: 0.9 },
    { id: 'verdict', name: 'Verdict after trial', outcomeContribution: 0.85 },
  ],
  demand: [{ stage: 'listing', rate: 40, per: 'week' }],
  interventions: [
    {
      id: 'saturday-court',
      name: 'Saturday morning court',
      description: 'The court also sits on Saturday mornings with its three legal advisers.',
      changes: [
        {
          kind: 'extendHours',
          pool: 'legal-advisers',
          shift: { days: ['sat'], from: '09:00', to: '13:00', servers: 3 },
        },
      ],
    },
  ],
};
