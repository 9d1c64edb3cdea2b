// Small chains for the engine's tests: a single queue, a tandem line, and a stage with a rework
// loop, all built through the public JSON form so that the tests exercise the parser too.
import { parseChainOrThrow } from './model.ts';
import type { DeliveryChain, DeliveryChainInput, ServiceTime } from './model.ts';

type ServiceTimeInput = DeliveryChainInput['stages'][number]['service'];

const output = { id: 'done', name: 'Done', outcomeContribution: 1 };

function base(stages: DeliveryChainInput['stages'], rate: number): DeliveryChainInput {
  return {
    version: 1,
    id: 'test-chain',
    name: 'Test chain',
    timeUnit: 'hour',
    hoursPerWeek: 40,
    stages,
    outputs: [output],
    demand: [{ stage: stages[0]?.id ?? 's0', rate, per: 'hour' }],
  };
}

/** One stage with `servers` servers, Poisson arrivals at `rate` per hour. */
export function singleStage(
  rate: number,
  servers: number,
  service: ServiceTimeInput | ServiceTime,
): DeliveryChain {
  return parseChainOrThrow(
    base(
      [
        {
          id: 's0',
          name: 'Stage 0',
          organisation: 'Test',
          servers,
          service: service as ServiceTimeInput,
          routes: [{ to: 'done', probability: 1 }],
        },
      ],
      rate,
    ),
  );
}

/** k single-server exponential stages in series. */
export function tandem(rate: number, means: readonly number[]): DeliveryChain {
  return parseChainOrThrow(
    base(
      means.map((mean, i) => ({
        id: `s${i}`,
        name: `Stage ${i}`,
        organisation: 'Test',
        servers: 1,
        service: { kind: 'exponential' as const, mean },
        routes: [{ to: i < means.length - 1 ? `s${i + 1}` : 'done', probability: 1 }],
      })),
      rate,
    ),
  );
}

/** Two stages; a share `rework` of the second's cases goes back to the first. */
export function reworkLoop(rate: number, rework: number): DeliveryChain {
  return parseChainOrThrow(
    base(
      [
        {
          id: 's0',
          name: 'Draft',
          organisation: 'Test',
          servers: 1,
          service: { kind: 'exponential', mean: 0.5 },
          routes: [{ to: 's1', probability: 1 }],
        },
        {
          id: 's1',
          name: 'Check',
          organisation: 'Test',
          servers: 2,
          service: { kind: 'exponential', mean: 1 },
          routes: [
            { to: 'done', probability: 1 - rework },
            { to: 's0', probability: rework, rework: true },
          ],
        },
      ],
      rate,
    ),
  );
}

/**
 * Two stages with known prices and outcome rates, for hand-computed measures (paper Figure 1):
 * intake (1 officer at 20 an hour, 0.5 h a case) → assessment (2 assessors at 40 an hour, 2 h a
 * case, a licence of 5 per case) → approved (80%, 90% achieve the outcome) or declined (20%, 50%).
 * A case system of 3 licences costs 300 a week. 40 working hours a week; `rate` cases an hour.
 */
export function costedChain(rate: number): DeliveryChain {
  return parseChainOrThrow({
    version: 1,
    id: 'costed',
    name: 'Costed test chain',
    timeUnit: 'hour',
    hoursPerWeek: 40,
    inputs: [
      {
        id: 'case-system',
        name: 'Case management system',
        kind: 'equipment',
        costPerWeek: 300,
        quantity: 3,
        unit: { singular: 'licence', plural: 'licences' },
      },
    ],
    stages: [
      {
        id: 'intake',
        name: 'Intake',
        organisation: 'Test',
        servers: 1,
        service: { kind: 'exponential', mean: 0.5 },
        costPerServerHour: 20,
        routes: [{ to: 'assess', probability: 1 }],
      },
      {
        id: 'assess',
        name: 'Assessment',
        organisation: 'Test',
        servers: 2,
        service: { kind: 'exponential', mean: 2 },
        costPerServerHour: 40,
        costPerCase: 5,
        routes: [
          { to: 'approved', probability: 0.8 },
          { to: 'declined', probability: 0.2 },
        ],
      },
    ],
    outputs: [
      { id: 'approved', name: 'Approved', outcomeContribution: 0.9 },
      { id: 'declined', name: 'Declined', outcomeContribution: 0.5 },
      { id: 'referred', name: 'Referred to a specialist', outcomeContribution: 0.7 },
    ],
    demand: [{ stage: 'intake', rate, per: 'hour' }],
  });
}

/**
 * A demo chain as it was before it had opening hours: no calendar, no rosters, the working-hours
 * clock (37.5 hours a week, every one of them staffed). The same staff hours a week as the rostered
 * demo, with no night, weekend or closure for work to wait through.
 */
export function withoutOpeningHours(input: DeliveryChainInput): DeliveryChainInput {
  const strip = <T extends { roster?: unknown; atShiftEnd?: unknown }>(stage: T): T => {
    const { roster: _roster, atShiftEnd: _end, ...rest } = stage;
    return rest as T;
  };
  const { calendar: _calendar, ...rest } = input;
  return {
    ...rest,
    hoursPerWeek: 37.5,
    stages: input.stages.map(strip),
    interventions: (input.interventions ?? []).map((intervention) => ({
      ...intervention,
      changes: intervention.changes.map((change) =>
        change.kind === 'replaceStage' ? { ...change, with: strip(change.with) } : change,
      ),
    })),
  };
}
