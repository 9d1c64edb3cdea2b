// A seeded Monte-Carlo walk through a calibrated chain: each simulated case starts at a stage
// drawn from the arrival shares, spends a drawn time per visit, and moves on by the routing
// probabilities until it leaves. No queues are simulated — the times per visit already contain
// the waits seen in the log — so this checks whether routing and fitted times together
// reproduce the observed lead-time distribution.
import type { CalibratedStage, FittedTime, LeadTimeSummary } from './calibrate.ts';

/** mulberry32: small, fast, seeded; good enough for a reproducibility check. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** Draws one time (hours) from a fitted distribution or its empirical quantiles. */
export function drawTime(
  time: FittedTime,
  model: 'fitted' | 'empirical',
  random: () => number,
): number {
  if (model === 'empirical' || time.kind === 'empirical') {
    const q = random() * (time.samples.length - 1);
    const lo = Math.floor(q);
    const a = time.samples[lo] as number;
    const b = time.samples[Math.min(lo + 1, time.samples.length - 1)] as number;
    return a + (b - a) * (q - lo);
  }
  if (time.mean <= 0) return 0;
  switch (time.kind) {
    case 'deterministic':
      return time.mean;
    case 'exponential':
      return -time.mean * Math.log(random());
    case 'lognormal': {
      const sigma2 = Math.log(1 + time.cv * time.cv);
      const mu = Math.log(time.mean) - sigma2 / 2;
      const z = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
      return Math.exp(mu + Math.sqrt(sigma2) * z);
    }
  }
}

const MAX_STEPS = 10_000;

export function simulateLeadTimes(
  stages: readonly CalibratedStage[],
  arrivals: readonly { readonly stageId: string; readonly ratePerHour: number }[],
  options: { cases: number; seed: number; timeModel: 'fitted' | 'empirical' },
): LeadTimeSummary {
  const index = new Map(stages.map((s, i) => [s.id, i]));
  const random = seededRandom(options.seed);
  const total = arrivals.reduce((s, x) => s + x.ratePerHour, 0);
  const entry = arrivals.map((x) => ({
    stage: index.get(x.stageId) as number,
    p: x.ratePerHour / total,
  }));
  const routes = stages.map((s) =>
    s.routing.map((r) => ({ to: index.get(r.to) ?? -1, p: r.probability })),
  );
  const pick = <T extends { p: number }>(list: readonly T[]): T | undefined => {
    let u = random();
    for (const item of list) {
      u -= item.p;
      if (u <= 0) return item;
    }
    return list[list.length - 1];
  };
  const lead = new Float64Array(options.cases);
  if (entry.length === 0 || total === 0) return { meanHours: 0, medianHours: 0, p90Hours: 0 };
  for (let c = 0; c < options.cases; c++) {
    let stage = pick(entry)?.stage ?? -1;
    let t = 0;
    for (let step = 0; step < MAX_STEPS && stage >= 0; step++) {
      t += drawTime((stages[stage] as CalibratedStage).timePerVisit, options.timeModel, random);
      stage = pick(routes[stage] ?? [])?.to ?? -1;
    }
    lead[c] = t;
  }
  lead.sort();
  let sum = 0;
  for (const x of lead) sum += x;
  const q = (p: number): number => {
    const pos = (lead.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, lead.length - 1);
    return (lead[lo] as number) + ((lead[hi] as number) - (lead[lo] as number)) * (pos - lo);
  };
  return { meanHours: sum / lead.length, medianHours: q(0.5), p90Hours: q(0.9) };
}
