import { describe, expect, it } from 'vitest';
import { decodeWordVectors, encodeWordVectors } from './format.ts';
import { readFileSync } from 'node:fs';
import { loadWordVectors, parseWordVectors, VECTOR_FILE_BASE, wordVector } from './load.ts';

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, j) => {
    ab += x * (b[j] ?? 0);
    aa += x * x;
    bb += (b[j] ?? 0) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

describe('word-vector file format', () => {
  it('round-trips vectors within the int8 quantisation error, with ranks', () => {
    const vectors = [Float32Array.from([0.5, -1.27, 0.01]), Float32Array.from([0, 0, 0])];
    const decoded = decodeWordVectors(encodeWordVectors({ dimensions: 3, ranks: [4, 9], vectors }));
    expect(decoded.count).toBe(2);
    expect(Array.from(decoded.ranks)).toEqual([4, 9]);
    const first = Array.from(decoded.values.subarray(0, 3), (q) => q * (decoded.scales[0] ?? 0));
    first.forEach((x, j) =>
      expect(Math.abs(x - (vectors[0]?.[j] ?? 0))).toBeLessThanOrEqual(1.27 / 127 / 2 + 1e-7),
    );
    expect(Array.from(decoded.values.subarray(3))).toEqual([0, 0, 0]);
    expect(decoded.scales[1]).toBe(1);
  });

  it('rejects a file that is not ours or is cut short', () => {
    expect(() => decodeWordVectors(new Uint8Array(20))).toThrow(
      /not a Throughline word-vector file/,
    );
    const bytes = encodeWordVectors({
      dimensions: 2,
      ranks: [0],
      vectors: [Float32Array.from([1, 2])],
    });
    expect(() => decodeWordVectors(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });
});

describe('the shipped vectors', () => {
  const vectors = loadWordVectors();
  const vector = (word: string): Float32Array => {
    const i = vectors.lookup(word);
    if (i < 0) throw new Error(`${word} missing`);
    return wordVector(vectors, i);
  };

  it('hold 100,000 words of 100 dimensions in general-English frequency order', () => {
    expect(vectors.dimensions).toBe(100);
    expect(vectors.count).toBe(100_000);
    expect(vectors.lookup('zzzz-not-a-word')).toBe(-1);
    expect(vectors.ranks[vectors.lookup('the')]).toBe(0);
    expect(vectors.ranks[vectors.lookup('council')]).toBeLessThan(
      vectors.ranks[vectors.lookup('recycling')] ?? 0,
    );
  });

  it('list their vocabulary in order, one word per vector (checked here, not at every load)', () => {
    const file = (ext: string) => new URL(`./${VECTOR_FILE_BASE}.${ext}`, import.meta.url);
    const checked = parseWordVectors(
      readFileSync(file('bin')),
      readFileSync(file('vocab.txt'), 'utf8'),
      true,
    );
    expect(checked.count).toBe(100_000);
    expect(checked.lookup('council')).toBe(vectors.lookup('council'));
    const bin = readFileSync(file('bin'));
    expect(() => parseWordVectors(bin, 'b\na\n'.repeat(50_000), true)).toThrow(/not in order/);
    expect(() => parseWordVectors(bin, 'a\nb\n')).toThrow(/shorter/);
  });

  it('place related words closer than unrelated ones', () => {
    expect(cosine(vector('recycling'), vector('waste'))).toBeGreaterThan(
      cosine(vector('recycling'), vector('guitar')) + 0.3,
    );
    expect(cosine(vector('pothole'), vector('road'))).toBeGreaterThan(
      cosine(vector('pothole'), vector('tax')),
    );
  });
});
