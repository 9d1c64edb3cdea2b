// Seeded pseudo-random numbers for the delivery-chain simulator: xoshiro128** seeded through
// splitmix32, plus the service-time samplers. Written here (not imported) so a run is reproducible
// byte for byte on any machine and the hot loop stays allocation-free.

/** A seeded generator of uniform numbers in (0, 1). */
export interface Random {
  /** A uniform number strictly between 0 and 1. */
  next(): number;
  /** A standard normal number (Box–Muller, the spare value cached). */
  normal(): number;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Makes the stream for one seed; different seeds (even 1, 2, 3…) give unrelated streams. */
export function createRandom(seed: number): Random {
  const mix = splitmix32(Math.floor(seed) ^ 0x5bd1e995);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  if ((a | b | c | d) === 0) a = 1;
  let spare = Number.NaN;
  const next = (): number => {
    // xoshiro128**: result = rotl(b * 5, 7) * 9
    const r = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    // 32 random bits mapped into (0, 1): never exactly 0, so log(u) is finite.
    return (r + 0.5) / 4294967296;
  };
  return {
    next,
    normal(): number {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = Number.NaN;
        return s;
      }
      const u = next();
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape below 1 via the boost u^(1/shape). */
export function sampleGamma(random: Random, shape: number): number {
  if (shape < 1) {
    return sampleGamma(random, shape + 1) * Math.pow(random.next(), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * The seed of one named random stream (e.g. "service:manual-review") within a replication. Each
 * stage's service times, each stage's routing and each demand stream get their own stream, keyed by
 * name rather than position, so a change at one stage — or a stage added — leaves every other
 * stream's draws untouched: the condition for common random numbers to synchronise scenarios.
 */
export function streamSeed(replicationSeed: number, name: string): number {
  // FNV-1a over the name, then mixed with the replication seed through splitmix32.
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const mix = splitmix32((Math.floor(replicationSeed) ^ Math.imul(h, 0x9e3779b1)) >>> 0);
  mix();
  return mix() >>> 1;
}
