// Maps a calibrated process onto the delivery-chain document of src/domain/chain (the chains
// feature validates it with `parseChain`). One small adapter, so a change to either side is made
// here. Times: the log's clock is calendar time, so the chain is written with 168 hours a week.
// Each stage is what calibration found it to be (issue 13, point 2): a staffed stage gets its
// measured service time and the staff estimated from the log's resources; a timer, external or
// batching wait, or an automatic step, becomes a delay (no servers, no queue); a stage whose
// capacity the log cannot support is marked `capacityUnknown` with the reason — never given
// invented servers. With the calendar fitted (calibrate.ts), demand follows the log's week (and
// months), and a staffed stage whose work the log shows confined to hours gets those hours as its
// roster; delays get none. The notes are calibration's own summary, so every surface says the same.
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
    case 'empirical':
      // Every fifth of the 1,001 quantiles (0 %, 0.5 %, … 100 %), at least a second each.
      return {
        kind: 'empirical',
        samples: time.samples.filter((_, q) => q % 5 === 0).map((x) => Math.max(x, MIN_HOURS)),
      };
  }
}

export function toDeliveryChain(
  calibrated: Omit<CalibratedChain, 'fit'> & { readonly fit?: CalibratedChain['fit'] },
  options: ChainAdapterOptions = {},
): { chain: DeliveryChainInput; notes: string[] } {
  const output = 'completed';
  const rate = new Map(calibrated.arrivals.map((x) => [x.stageId, x.ratePerHour]));
  const stages = calibrated.stages.map((stage) => {
    const common = {
      id: stage.id,
      name: stage.name,
      organisation: options.organisation ?? 'Organisation',
      routes: stage.routing.map((r) => ({
        to: r.to === EXIT_STAGE ? output : r.to,
        probability: r.probability,
        ...(r.rework && r.to !== EXIT_STAGE ? { rework: true } : {}),
      })),
    };
    if (stage.role === 'delay' && stage.delay !== null) {
      return {
        ...common,
        delay: { kind: stage.delay.kind, reason: stage.delay.reason.slice(0, 2000) },
        service: service(stage.timePerVisit),
      };
    }
    if (stage.role === 'capacity-unknown') {
      return {
        ...common,
        capacityUnknown: { reason: (stage.capacityUnknown ?? 'not known').slice(0, 2000) },
        service: service(stage.timePerVisit),
      };
    }
    return {
      ...common,
      servers: stage.servers ?? 1,
      ...(stage.roster === null
        ? {}
        : { roster: { shifts: stage.roster.shifts.map((x) => ({ ...x, days: [...x.days] })) } }),
      service: service(stage.serviceTime ?? stage.timePerVisit),
    };
  });
  // A roster needs a calendar on the chain: the fitted one, or a plain one starting on a Monday.
  const fitted = calibrated.calendar?.calendar ?? null;
  const rostered = calibrated.stages.some((s) => s.roster !== null);
  const calendar =
    fitted !== null
      ? {
          start: fitted.start,
          ...(fitted.weekly === undefined ? {} : { weekly: { hours: [...fitted.weekly.hours] } }),
          ...(fitted.season === undefined ? {} : { season: { months: [...fitted.season.months] } }),
        }
      : rostered
        ? {}
        : null;
  return {
    chain: {
      version: 1,
      id: options.id ?? 'discovered-process',
      name: options.name ?? 'Discovered process',
      timeUnit: 'hour',
      hoursPerWeek: 168,
      ...(calendar === null ? {} : { calendar }),
      stages,
      outputs: [{ id: output, name: 'Completed cases', outcomeContribution: 1 }],
      demand: [...rate].map(([stage, r]) => ({ stage, rate: r, per: 'hour' as const })),
    },
    notes: [...calibrated.summary],
  };
}
