import { describe, expect, it } from 'vitest';
import { isNothingComment, nameThemes, NOTHING_TO_IMPROVE, type NamingInput } from './names.ts';
import { stem } from './stem.ts';

/** A naming input whose word weights favour the given words (their stems). */
function theme(texts: string[], typical: string[], keyPhrases: string[] = typical): NamingInput {
  const stems = new Set(typical.map(stem));
  return { texts, keyPhrases, weight: (w) => (stems.has(stem(w)) ? 1 : 0.05) };
}

describe('nameThemes', () => {
  it('names a theme with a phrase its central comments share, in sentence case', () => {
    const [named] = nameThemes([
      theme(
        [
          'We had long waits for an ambulance last night.',
          'Long waits for an ambulance, again',
          'long waits for an ambulance are dangerous',
          'The ambulance took hours',
        ],
        ['long', 'waits', 'ambulance'],
      ),
    ]);
    expect(named?.name).toBe('Long waits for an ambulance');
    expect(named?.description).toBe(
      'Comments about long waits for an ambulance, as in “We had long waits for an ambulance last night.”',
    );
    expect(named?.similarTo).toBeNull();
  });

  it('never starts or ends a name on a stop word, and keeps acronyms', () => {
    const [named] = nameThemes([
      theme(
        [
          'On time and the GP appointment was quick',
          'The GP appointment was on time',
          'GP appointment on time',
        ],
        ['gp', 'appointment'],
      ),
    ]);
    expect(named?.name).toBe('GP appointment');
  });

  it('recognises "nothing to improve" comments', () => {
    const texts = ['Nothing.', 'n/a', 'All good', 'Nothing to improve', 'No', 'None really'];
    expect(texts.every(isNothingComment)).toBe(true);
    expect(isNothingComment('Nothing was done about the bins')).toBe(false);
    expect(isNothingComment('The parking is awful')).toBe(false);
    expect(nameThemes([theme(texts, ['nothing'])])[0]?.name).toBe(NOTHING_TO_IMPROVE);
  });

  it('gives distinct names, adding a distinguishing key phrase rather than a number', () => {
    const staff = [
      'Friendly staff throughout',
      'friendly staff and clean ward',
      'Very friendly staff',
    ];
    const named = nameThemes([
      theme(staff, ['friendly', 'staff'], ['friendly staff', 'ward']),
      theme(
        ['Friendly staff at reception', 'friendly staff on reception desk', 'Friendly staff'],
        ['friendly', 'staff'],
        ['friendly staff', 'reception'],
      ),
    ]);
    expect(named[0]?.name).toBe('Friendly staff');
    expect(named[1]?.name).not.toBe('Friendly staff');
    expect(named[1]?.name).not.toMatch(/\(\d+\)/);
    expect(named[1]?.name.toLowerCase()).toContain('reception');
    // Near-duplicates are flagged against the earlier (larger) theme.
    expect(named[1]?.similarTo).toBe(0);
  });

  it('falls back to the first key phrase when no phrase is shared', () => {
    const [named] = nameThemes([theme(['Bins.', 'Recycling!'], ['bins'], ['missed bins'])]);
    expect(named?.name.length).toBeGreaterThan(0);
    expect(named?.name).not.toContain(' — ');
  });

  it('never uses the notes redaction leaves as words of a name', () => {
    const [named] = nameThemes([
      theme(
        [
          '[name removed] removed the bins',
          'Bins collected late, ask [name removed]',
          '[name removed] said bins collected late',
        ],
        ['bins', 'collected', 'late', 'name', 'removed'],
      ),
    ]);
    expect(named?.name.toLowerCase()).not.toMatch(/name|removed/);
  });
});

describe('nameThemes with nothing to tell themes apart', () => {
  it('still gives distinct names, from the opening of each theme’s central comment', () => {
    const named = nameThemes([
      { texts: ['Bins.'], keyPhrases: [], weight: () => 1 },
      { texts: ['Bins, late again'], keyPhrases: [], weight: () => 1 },
    ]);
    expect(named[0]?.name).toBe('Bins');
    const same = nameThemes([
      { texts: ['Bins.'], keyPhrases: [], weight: () => 1 },
      { texts: ['Bins!'], keyPhrases: [], weight: () => 1 },
    ]);
    expect(same.map((n) => n.name)).toEqual(['Bins', 'Bins — “Bins!…”']);
    expect(same[1]?.similarTo).toBe(0);
    expect(new Set(named.map((n) => n.name)).size).toBe(2);
    expect(named.every((n) => !/\(\d+\)/.test(n.name))).toBe(true);
  });
});
