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
