// One call from an event log to a delivery chain (issue 13, point 2): calibrate (calibrate.ts),
// write the chain document (chain-adapter.ts), and check the document itself by the chain
// engine's own simulation — queues at staffed stages included — against the log's lead times
// (median and 90th percentile, within FIT_TOLERANCE). The log page, the chain page and the CLI
// all call this, so they state the same stages, delays, staff, capacity and fit.
import { parseChain, type DeliveryChain, type DeliveryChainInput } from '../chain/model.ts';
import { simulateChain } from '../chain/simulate.ts';
import {
  FIT_TOLERANCE,
  calibrateChain,
  hours,
  signed,
  type CalibrateOptions,
  type CalibratedChain,
  type LeadTimeSummary,
} from './calibrate.ts';
import { toDeliveryChain, type ChainAdapterOptions } from './chain-adapter.ts';
import type { EventLog } from './model.ts';

export interface DeliveryChainCalibration {
  readonly calibrated: CalibratedChain;
  /** The chain document, checked by `parseChain`. */
  readonly chain: DeliveryChain;
  readonly document: DeliveryChainInput;
  /** Calibration's summary with the fit of the walk and of the chain's own simulation. */
  readonly notes: readonly string[];
  readonly chainCheck: {
    readonly simulated: LeadTimeSummary;
    readonly cases: number;
    readonly replications: number;
    readonly medianError: number;
    readonly p90Error: number;
    readonly withinTolerance: boolean;
    readonly statement: string;
  };
}

export interface CalibrationOptions extends CalibrateOptions, ChainAdapterOptions {
  /** Cases admitted per replication of the chain simulation (default: the log's, 1,000–5,000). */
  readonly chainCases?: number;
}

export function calibrateDeliveryChain(
  log: EventLog,
  options: CalibrationOptions = {},
): DeliveryChainCalibration {
  const calibrated = calibrateChain(log, options);
  const { chain: document, notes } = toDeliveryChain(calibrated, options);
  const parsed = parseChain(document);
  if (!parsed.ok) {
    throw new Error(
      `The calibrated chain does not check: ${parsed.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const cases = options.chainCases ?? Math.min(5000, Math.max(1000, calibrated.cases));
  const replications = 2;
  const sim = simulateChain(parsed.chain, {
    seed: options.seed ?? 1,
    replications,
    maxArrivals: cases,
    horizonHours: Infinity,
    warmupHours: 0,
  });
  const simulated: LeadTimeSummary = {
    meanHours: sim.leadTimeHours.mean.mean,
    medianHours: sim.leadTimeHours.median.mean,
    p90Hours: sim.leadTimeHours.p90.mean,
  };
  const observed = calibrated.fit.observed;
  const rel = (x: number, y: number): number => (y > 0 ? (x - y) / y : 0);
  const medianError = rel(simulated.medianHours, observed.medianHours);
  const p90Error = rel(simulated.p90Hours, observed.p90Hours);
  const withinTolerance =
    Math.abs(medianError) <= FIT_TOLERANCE && Math.abs(p90Error) <= FIT_TOLERANCE;
  const staffed = calibrated.stages.some((s) => s.role === 'staffed');
  const rostered = calibrated.stages.some((s) => s.roster !== null);
  const calendarUsed = calibrated.calendar?.calendar != null;
  const statement =
    `Simulating the chain itself (${cases.toLocaleString('en-GB')} cases, ${replications} runs${staffed ? `, with queues for the staff estimated${rostered ? ' on duty to the hours read from the log' : ''}` : ''}${calendarUsed ? ', new cases arriving by the log’s week' : ''}) gives a median of ${hours(simulated.medianHours)} (${signed(medianError)}) and a 90th percentile of ${hours(simulated.p90Hours)} (${signed(p90Error)}): ` +
    (withinTolerance
      ? `within ±${Math.round(FIT_TOLERANCE * 100)}% of the log.`
      : staffed
        ? `outside ±${Math.round(FIT_TOLERANCE * 100)}% — the queues the estimated staff form differ from the waits the log shows (people shared between stages, working hours, priorities), so use it to compare changes rather than to forecast.`
        : `outside ±${Math.round(FIT_TOLERANCE * 100)}%, for the reasons above.`);
  return {
    calibrated,
    chain: parsed.chain,
    document,
    // What the model is, then how well it fits, then each delay and what was folded.
    notes: [notes[0] ?? '', calibrated.fit.statement, statement, ...notes.slice(1)],
    chainCheck: {
      simulated,
      cases,
      replications,
      medianError,
      p90Error,
      withinTolerance,
      statement,
    },
  };
}
