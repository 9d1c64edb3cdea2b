import { describe, expect, it } from 'vitest';
import { findMentions } from './mentions.ts';
import { loadWordVectors } from './vectors/load.ts';

const vectors = loadWordVectors();

const bins = [
  'The bins were not collected this week.',
  'Our recycling bin was missed again.',
  'Bin collection is always late on our road.',
  'The black bin was left unemptied for a fortnight.',
  'Recycling collections keep being missed.',
  'Rubbish bins overflowing because collections were skipped.',
  'The refuse lorry never empties the garden waste bin.',
  'Missed bin collections three weeks running.',
];
const parking = [
  'Parking on my street is impossible in the evening.',
  'Not enough parking spaces near the shops.',
  'Car parking charges in the town centre are too high.',
  'Residents cannot find a parking space near home.',
  'The car park is always full by nine.',
  'Parking permits cost too much for residents.',
  'Cars parked on the pavement block the road.',
  'More parking bays are needed near the station.',
];
const both = 'The bins were missed again this week. Parking on our street is impossible too.';
const texts = [...bins, ...parking, both, 'Bins emptied late.', ''];
const primary = [...bins.map(() => 'bins'), ...parking.map(() => 'parking'), 'bins', 'bins', null];

describe('findMentions', () => {
  it('gives a comment that makes two points both themes, its primary first, with scores', () => {
    const result = findMentions(texts, primary, ['bins', 'parking'], vectors);
    const mixed = result.comments[bins.length + parking.length];
    expect(mixed?.themes.map((m) => m.theme)).toEqual(['bins', 'parking']);
    expect(mixed?.themes[0]?.primary).toBe(true);
    expect(mixed?.themes[1]?.primary).toBe(false);
    expect(mixed?.themes[1]?.score).toBeGreaterThan(0);
    // No question: no stance.
    expect(mixed?.themes[0]?.stance).toBeUndefined();
  });

  it('gives a comment about one thing only that theme, and a comment with no theme none', () => {
    const result = findMentions(texts, primary, ['bins', 'parking'], vectors);
    expect(result.comments[texts.length - 2]?.themes.map((m) => m.theme)).toEqual(['bins']);
    for (let i = 0; i < bins.length; i++)
      expect(result.comments[i]?.themes.map((m) => m.theme)).toEqual(['bins']);
    expect(result.comments[texts.length - 1]).toEqual({ themes: [], sentiment: null });
  });

  it('counts primary and also-mentions apart, and sentiment of each mention', () => {
    const result = findMentions(texts, primary, ['bins', 'parking'], vectors);
    expect(result.themes.bins?.primary).toBe(bins.length + 2);
    expect(result.themes.parking?.primary).toBe(parking.length);
    expect(result.themes.parking?.also).toBe(1);
    const parkingSentiment = result.themes.parking?.sentiment;
    expect(parkingSentiment?.total).toBe(parking.length + 1);
    expect(Object.values(parkingSentiment?.counts ?? {}).reduce((s, x) => s + x, 0)).toBe(
      parking.length + 1,
    );
    expect(result.sentiment.total).toBe(texts.length - 1);
  });

  it('keeps one theme a comment when asked for single labels, or when maxThemes is 1', () => {
    for (const options of [{ singleLabel: true }, { maxThemes: 1 }]) {
      const result = findMentions(texts, primary, ['bins', 'parking'], vectors, options);
      expect(result.comments.every((c) => c.themes.length <= 1)).toBe(true);
      expect(result.themes.parking?.also).toBe(0);
    }
  });

  it('reads a stance per theme when a question is given', () => {
    const question = 'Do you agree with the proposals for bins and parking?';
    const stanceTexts = [
      ...texts.slice(0, -3),
      'I support weekly bin collections, but I am against higher car parking charges for residents.',
    ];
    const result = findMentions(
      stanceTexts,
      [...primary.slice(0, -3), 'bins'],
      ['bins', 'parking'],
      vectors,
      { question },
    );
    const last = result.comments.at(-1);
    expect(last?.themes.map((m) => [m.theme, m.stance])).toEqual([
      ['bins', 'supports'],
      ['parking', 'opposes'],
    ]);
    expect(result.themes.parking?.stance?.counts.opposes).toBeGreaterThanOrEqual(1);
    expect(result.method.question).toBe(question);
  });
});
