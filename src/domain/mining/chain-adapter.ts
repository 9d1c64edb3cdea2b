// Maps a calibrated process onto the delivery-chain document of src/domain/chain (the chains
// feature validates it with `parseChain`). One small adapter, so a change to either side is made
// here. Times: the log's clock is calendar time, so the chain is written with 168 hours a week.
// Where the log has starts and names resources, a stage gets its measured service time and its
// distinct resources as servers. With completion times only, the stage's whole time per visit
// (waiting included) becomes its service time and it gets enough servers that no extra queue
// forms: capacity cannot be calibrated from such a log, and `notes` says so.
import type { DeliveryChainInput } from '../chain/model.ts';
import { EXIT_STAGE, type CalibratedChain, type FittedTime } from './calibrate.ts';

export interface ChainAdapterOptions {
  readonly id?: string;
  readonly name?: string;
  readonly organisation?: string;
}

/** The chain schema needs positive times: a zero mean becomes about a second. */
const MIN_HOURS = 1 / 3600;

function service(time: FittedTime): DeliveryChainInput['stages'][number]['service'] {
  const mean = Math.max(time.mean, MIN_HOURS);
  switch (time.kind) {
    case 'deterministic':
      return { kind: 'deterministic', mean };
    case 'exponential':
      return { kind: 'exponential', mean };
    case 'lognormal':
      return { kind: 'lognormal', mean, cv: Math.max(time.cv, 0.01) };
  }
}

export function toDeliveryChain(
  calibrated: CalibratedChain,
  options: ChainAdapterOptions = {},
): { chain: DeliveryChainInput; notes: string[] } {
  const notes: string[] = [];
  const output = 'completed';
  const rate = new Map(calibrated.arrivals.map((x) => [x.stageId, x.ratePerHour]));
  const totalRate = calibrated.arrivals.reduce((s, x) => s + x.ratePerHour, 0);
  const stages = calibrated.stages.map((stage) => {
    const measured = stage.serviceTime !== null && stage.servers !== null;
    const time = measured ? (stage.serviceTime as FittedTime) : stage.timePerVisit;
    // Offered load in Erlangs: visits per hour (λ × visits per case) × mean time per visit.
    const load = ((totalRate * stage.visits) / Math.max(1, calibrated.cases)) * time.mean;
    const servers = measured
      ? (stage.servers as number)
      : Math.max(1, Math.ceil(load * 2 + 3 * Math.sqrt(load) + 1));
    return {
      id: stage.id,
      name: stage.name,
      organisation: options.organisation ?? 'Organisation',
      servers,
      service: service(time),
      routes: stage.routing.map((r) => ({
        to: r.to === EXIT_STAGE ? output : r.to,
        probability: r.probability,
        ...(r.rework && r.to !== EXIT_STAGE ? { rework: true } : {}),
      })),
    };
  });
  if (!calibrated.serviceMeasured) {
    notes.push(
      'The log has completion times only: each stage’s service time is its whole time per visit (waiting included) and its servers are set high enough that no extra queue forms. Capacity cannot be calibrated from such a log.',
    );
  }
  return {
    chain: {
      version: 1,
      id: options.id ?? 'discovered-process',
      name: options.name ?? 'Discovered process',
      timeUnit: 'hour',
      hoursPerWeek: 168,
      stages,
      outputs: [{ id: output, name: 'Completed cases', outcomeContribution: 1 }],
      demand: [...rate].map(([stage, r]) => ({ stage, rate: r, per: 'hour' as const })),
    },
    notes,
  };
}
