// Quality floors on real, labelled data (banking77; NHS patient feedback): fail if a change to the
// method makes themes agree less with the gold labels than measured when it was built (see README).
// Skip, saying so, where the shared data sets are absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { discoverThemes, normalisedMutualInformation } from './index.ts';

const data = (name: string): string =>
  fileURLToPath(new URL(`../../../../shared/data/comments/${name}`, import.meta.url));
const banking = data('banking77-test.csv');
const nhs = data('nhs-fft-phase1.csv');

describe.skipIf(!existsSync(banking))('quality on banking77 (shared data set)', () => {
  it('keeps NMI against the 77 gold intents at or above the floor', () => {
    const rows = parse(readFileSync(banking), { columns: true }) as {
      text: string;
      category: string;
    }[];
    const run = discoverThemes(
      rows.map((r) => r.text),
      { seed: 1, themes: 77 },
    );
    const nmi = normalisedMutualInformation(
      rows.map((r) => r.category),
      run.assignments,
    );
    // Measured 0.681 with seed 1 (seeds 1–3: 0.678–0.694; scikit-learn TF-IDF + k-means: 0.601);
    // the floor is that less a seed's spread.
    expect(nmi).toBeGreaterThanOrEqual(0.665);
  }, 60_000);
});

describe.skipIf(!existsSync(nhs))('quality on NHS patient feedback (shared data set)', () => {
  it('keeps NMI against the 44 gold subcategories at or above the floor', () => {
    const rows = parse(readFileSync(nhs), { columns: true }) as {
      feedback: string;
      subcategory: string;
    }[];
    const run = discoverThemes(
      rows.map((r) => r.feedback),
      { seed: 1, themes: 44 },
    );
    const nmi = normalisedMutualInformation(
      rows.map((r) => r.subcategory),
      run.assignments,
    );
    // Measured 0.243 with seed 1 (seeds 1–3: 0.243; 0.237 before "nothing to improve" answers were
    // drawn together; scikit-learn's best: 0.19); the floor is that less a seed's spread before.
    expect(nmi).toBeGreaterThanOrEqual(0.235);
  }, 60_000);
});

for (const file of [banking, nhs])
  if (!existsSync(file)) console.log(`quality.test.ts: skipped, ${file} is absent`);
