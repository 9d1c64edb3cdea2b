// Several themes per response, with stances (issue 14, point 3), on the consultation set in
// ../shared/data/comments/consultation/: 100 responses to one question, the analyst's 11 themes, and
// each response's themes (1–2) with a stance each. We find 11 themes (the analyst's number), give
// each response its themes (mentions.ts), map each of our themes to the analyst's theme it shares
// most responses with (greedy one-to-one by overlap, largest first), and score:
// - micro-F1 of (response, analyst theme) pairs, against the single-label baseline (each response
//   only its primary theme);
// - stance accuracy on the pairs we found, against the majority baseline (every stance "supports").
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverThemes, findMentions, loadWordVectors } from '../../src/domain/themes/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = path.resolve(root, '..', 'shared', 'data', 'comments', 'consultation');

interface Gold {
  readonly labels: readonly string[];
  readonly stances: readonly string[];
}

function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export interface ConsultationScores {
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
  readonly singleLabelF1: number;
  readonly stanceAccuracy: number;
  readonly majorityStanceAccuracy: number;
  readonly stancePairs: number;
  readonly meanThemes: number;
}

/** Greedy one-to-one map from our themes to the analyst's, by the responses they share. */
function mapThemes(ours: readonly string[][], gold: readonly Gold[]): Map<string, string> {
  const overlap = new Map<string, number>();
  ours.forEach((themes, i) => {
    for (const t of themes)
      for (const g of gold[i]?.labels ?? [])
        overlap.set(`${t}\t${g}`, (overlap.get(`${t}\t${g}`) ?? 0) + 1);
  });
  const pairs = [...overlap].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const map = new Map<string, string>();
  const used = new Set<string>();
  for (const [key] of pairs) {
    const [t = '', g = ''] = key.split('\t');
    if (map.has(t) || used.has(g)) continue;
    map.set(t, g);
    used.add(g);
  }
  return map;
}

function f1(predicted: readonly (readonly string[])[], gold: readonly Gold[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((labels, i) => {
    const truth = new Set(gold[i]?.labels ?? []);
    for (const l of new Set(labels))
      if (truth.has(l)) tp++;
      else fp++;
    for (const l of truth) if (!labels.includes(l)) fn++;
  });
  const precision = tp / Math.max(tp + fp, 1);
  const recall = tp / Math.max(tp + fn, 1);
  return { precision, recall, f1: (2 * precision * recall) / Math.max(precision + recall, 1e-9) };
}

export function consultationScores(
  seed = 1,
  relative?: number,
  givenThemes = false,
): ConsultationScores | null {
  if (!existsSync(path.join(dir, 'q2-responses.jsonl'))) return null;
  const responses = readJsonLines<{ response_id: number; response: string }>(
    path.join(dir, 'q2-responses.jsonl'),
  );
  const mapping = new Map(
    readJsonLines<{ response_id: number } & Gold>(path.join(dir, 'q2-mapping.jsonl')).map((m) => [
      m.response_id,
      m,
    ]),
  );
  const question = (
    JSON.parse(readFileSync(path.join(dir, 'q2-question.json'), 'utf8')) as {
      question_text: string;
    }
  ).question_text;
  const gold: Gold[] = responses.map(
    (r) => mapping.get(r.response_id) ?? { labels: [], stances: [] },
  );
  const goldThemes = new Set(gold.flatMap((g) => g.labels)).size;
  const texts = responses.map((r) => r.response);
  const vectors = loadWordVectors();
  const analyst = (
    JSON.parse(readFileSync(path.join(dir, 'q2-themes.json'), 'utf8')) as {
      topic_id: string;
      topic: string;
    }[]
  ).filter((t) => gold.some((g) => g.labels.includes(t.topic_id)));
  const run = givenThemes ? null : discoverThemes(texts, { themes: goldThemes, seed }, vectors);
  const ids = run ? run.themes.map((t) => t.id) : analyst.map((t) => t.topic_id);
  const mentions = findMentions(
    texts,
    run ? run.assignments : texts.map(() => analyst[0]?.topic_id ?? ''),
    ids,
    vectors,
    {
      question,
      relative,
      themeTexts: run ? undefined : analyst.map((t) => t.topic),
    },
  );
  const ourThemes = mentions.comments.map((c) => c.themes.map((m) => m.theme));
  const map = run ? mapThemes(ourThemes, gold) : new Map(ids.map((id) => [id, id]));
  const toGold = (themes: readonly string[]): string[] =>
    themes.map((t) => map.get(t)).filter((g): g is string => g !== undefined);
  const multi = f1(ourThemes.map(toGold), gold);
  const single = f1(
    ourThemes.map((t) => toGold(t.slice(0, 1))),
    gold,
  );
  let pairs = 0;
  let right = 0;
  let majority = 0;
  mentions.comments.forEach((c, i) => {
    const g = gold[i];
    if (!g) return;
    for (const m of c.themes) {
      const label = map.get(m.theme);
      const at = label === undefined ? -1 : g.labels.indexOf(label);
      if (at < 0) continue;
      const truth =
        g.stances[at] === 'NEGATIVE'
          ? 'opposes'
          : g.stances[at] === 'POSITIVE'
            ? 'supports'
            : 'neutral';
      pairs++;
      if (m.stance === truth) right++;
      if (truth === 'supports') majority++;
    }
  });
  return {
    ...multi,
    singleLabelF1: single.f1,
    stanceAccuracy: right / Math.max(pairs, 1),
    majorityStanceAccuracy: majority / Math.max(pairs, 1),
    stancePairs: pairs,
    meanThemes: ourThemes.reduce((s, t) => s + t.length, 0) / Math.max(ourThemes.length, 1),
  };
}

export const suite = {
  name: 'themes-consultation',
  run(): Promise<void> {
    const rows: [string, ConsultationScores | null][] = [
      ...[1, 2, 3].map((seed): [string, ConsultationScores | null] => [
        `our 11 themes, seed ${seed}`,
        consultationScores(seed),
      ]),
      ["the analyst's 11 themes as given", consultationScores(1, undefined, true)],
    ];
    if (rows.some(([, r]) => r === null)) {
      console.log(`skipped: the consultation set is not in ${dir}`);
      return Promise.resolve();
    }
    const fmt = (x: number): string => x.toFixed(3);
    console.log(
      '| themes | themes a response | micro-F1 (precision, recall) | single-label F1 | stance accuracy (pairs) | all "supports" |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const [name, r] of rows) {
      if (!r) continue;
      console.log(
        `| ${name} | ${r.meanThemes.toFixed(2)} | ${fmt(r.f1)} (${fmt(r.precision)}, ${fmt(r.recall)}) | ${fmt(r.singleLabelF1)} | ${fmt(r.stanceAccuracy)} (${r.stancePairs}) | ${fmt(r.majorityStanceAccuracy)} |`,
      );
    }
    return Promise.resolve();
  },
};
