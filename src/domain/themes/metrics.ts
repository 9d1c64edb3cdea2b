// Measures of how good a set of themes is: agreement with known labels (normalised mutual
// information and adjusted Rand index, as defined in scikit-learn) and topic coherence (mean NPMI of
// the top words of each theme, counted over the comments themselves).

type Label = string | number | null;

function contingency(truth: readonly Label[], predicted: readonly Label[]) {
  if (truth.length !== predicted.length) throw new Error('label lists differ in length');
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  const cells = new Map<string, number>();
  truth.forEach((t, i) => {
    const a = String(t);
    const b = String(predicted[i]);
    rows.set(a, (rows.get(a) ?? 0) + 1);
    cols.set(b, (cols.get(b) ?? 0) + 1);
    const key = `${a}\u0000${b}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  });
  return { rows, cols, cells, n: truth.length };
}

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * Normalised mutual information with the arithmetic mean of the two entropies (scikit-learn's
 * default). `null` counts as one more label (for example the "other" group).
 */
export function normalisedMutualInformation(
  truth: readonly Label[],
  predicted: readonly Label[],
): number {
  const { rows, cols, cells, n } = contingency(truth, predicted);
  if (n === 0) return 1;
  const hu = entropy(rows.values(), n);
  const hv = entropy(cols.values(), n);
  if (hu === 0 && hv === 0) return 1;
  let mi = 0;
  for (const [key, c] of cells) {
    const [a = '', b = ''] = key.split('\u0000');
    mi += (c / n) * Math.log((n * c) / ((rows.get(a) ?? 1) * (cols.get(b) ?? 1)));
  }
  const mean = (hu + hv) / 2;
  return mean > 0 ? Math.max(0, mi / mean) : 0;
}

const pairs = (x: number): number => (x * (x - 1)) / 2;

/** Adjusted Rand index (Hubert and Arabie, 1985): 1 for identical partitions, about 0 for chance. */
export function adjustedRandIndex(truth: readonly Label[], predicted: readonly Label[]): number {
  const { rows, cols, cells, n } = contingency(truth, predicted);
  let index = 0;
  for (const c of cells.values()) index += pairs(c);
  let a = 0;
  for (const c of rows.values()) a += pairs(c);
  let b = 0;
  for (const c of cols.values()) b += pairs(c);
  const expected = (a * b) / Math.max(pairs(n), 1);
  const max = (a + b) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/**
 * Topic coherence: for each topic, the mean normalised PMI over pairs of its top words, where
 * probabilities are the shares of documents containing the words; then the mean over topics.
 * Pairs that never co-occur score −1. Ranges from −1 to 1; higher is more coherent.
 */
export function npmiCoherence(
  documents: readonly ReadonlySet<string>[],
  topics: readonly (readonly string[])[],
): number {
  const n = documents.length;
  if (n === 0 || topics.length === 0) return 0;
  const wanted = new Set(topics.flat());
  const postings = new Map<string, number[]>();
  documents.forEach((doc, i) => {
    for (const w of doc) {
      if (!wanted.has(w)) continue;
      let list = postings.get(w);
      if (!list) postings.set(w, (list = []));
      list.push(i);
    }
  });
  const together = (x: number[], y: number[]): number => {
    let i = 0;
    let j = 0;
    let c = 0;
    while (i < x.length && j < y.length) {
      const a = x[i] ?? 0;
      const b = y[j] ?? 0;
      if (a === b) {
        c++;
        i++;
        j++;
      } else if (a < b) i++;
      else j++;
    }
    return c;
  };
  let total = 0;
  let scored = 0;
  for (const topic of topics) {
    let sum = 0;
    let count = 0;
    for (let a = 0; a < topic.length; a++) {
      for (let b = a + 1; b < topic.length; b++) {
        const x = postings.get(topic[a] ?? '') ?? [];
        const y = postings.get(topic[b] ?? '') ?? [];
        const joint = together(x, y);
        count++;
        if (joint === 0 || x.length === 0 || y.length === 0) {
          sum += -1;
          continue;
        }
        const pxy = joint / n;
        if (pxy === 1) {
          sum += 1;
          continue;
        }
        sum += Math.log(pxy / ((x.length / n) * (y.length / n))) / -Math.log(pxy);
      }
    }
    if (count > 0) {
      total += sum / count;
      scored++;
    }
  }
  return scored > 0 ? total / scored : 0;
}
