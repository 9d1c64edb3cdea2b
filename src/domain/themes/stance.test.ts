import { describe, expect, it } from 'vitest';
import { splitClauses } from './clauses.ts';
import { sentimentOf } from './sentiment.ts';
import { clauseStance, questionKind, stanceOf } from './stance.ts';

describe('splitClauses', () => {
  it('splits sentences and turns, keeping the turning word with the clause it starts', () => {
    expect(splitClauses('Fund treatment services. Also ban adverts before 9pm.')).toEqual([
      'Fund treatment services.',
      'Also ban adverts before 9pm.',
    ]);
    expect(splitClauses('I support education instead of a complete ban.')).toEqual([
      'I support education',
      'instead of a complete ban.',
    ]);
    expect(splitClauses('Great service but the wait was awful')).toEqual([
      'Great service',
      'but the wait was awful',
    ]);
  });

  it('joins a one-word piece to its neighbour and keeps lists of one point whole', () => {
    expect(splitClauses('No. Never.')).toEqual(['No. Never.']);
    expect(splitClauses('Limit adverts to names only, no odds, no offers.')).toHaveLength(1);
    expect(splitClauses('   ')).toEqual([]);
  });
});

describe('sentimentOf', () => {
  it('reads negation', () => {
    expect(sentimentOf('The staff were not helpful at all.').label).toBe('negative');
    expect(sentimentOf('Not bad.').label).toBe('positive');
    expect(sentimentOf("I don't like the new rules").label).toBe('negative');
  });

  it('calls a comment with a positive and a negative clause mixed, and one with no feeling neutral', () => {
    expect(sentimentOf('Lovely staff but the wait was awful.').label).toBe('mixed');
    expect(sentimentOf('The doctor was lovely. Parking was terrible.').label).toBe('mixed');
    expect(sentimentOf('Open on Saturdays.').label).toBe('neutral');
    expect(sentimentOf('Brilliant, friendly nurses.').label).toBe('positive');
  });

  it('reads a question as asking, not praising, while a complaining question stays negative', () => {
    expect(sentimentOf('Where do I top up?').label).toBe('neutral');
    expect(sentimentOf('Can I get a better exchange rate?').label).toBe('neutral');
    expect(sentimentOf('Please send me a new card.').label).toBe('neutral');
    expect(sentimentOf('Why is the app not good?').label).toBe('negative');
    expect(sentimentOf('Why was the exchange rate wrong?').label).toBe('negative');
    // A statement keeps its praise, even beside a question.
    expect(sentimentOf('Great app. Where do I top up?').label).toBe('positive');
  });
});

describe('stance', () => {
  it('tells open questions from questions asking for agreement', () => {
    expect(
      questionKind('What alternative approaches could be used to promote responsible gambling?'),
    ).toBe('proposals');
    expect(questionKind('Do you agree that adverts should be banned?')).toBe('agreement');
    expect(questionKind('To what extent do you support the proposal?')).toBe('agreement');
  });

  it('reads support, opposition and negated support', () => {
    for (const kind of ['proposals', 'agreement'] as const) {
      expect(clauseStance('I support a ban on adverts', kind)).toBe('supports');
      expect(clauseStance('I do not support a ban', kind)).toBe('opposes');
      expect(clauseStance("I don't agree with this", kind)).toBe('opposes');
      expect(clauseStance('The ban should not go ahead', kind)).toBe('opposes');
      expect(clauseStance('I am strongly against the ban', kind)).toBe('opposes');
      expect(clauseStance('This is a waste of money', kind)).toBe('opposes');
      expect(clauseStance('instead of a complete ban.', kind)).toBe('opposes');
      expect(clauseStance('A levy is a good idea', kind)).toBe('supports');
    }
  });

  it('does not read "against" in a proposal as opposition', () => {
    expect(clauseStance('Protect children against gambling harm', 'proposals')).toBe('supports');
  });

  it('answers an open question by proposing, and a closed one by sentiment', () => {
    expect(clauseStance('Tax gambling winnings heavily', 'proposals')).toBe('supports');
    expect(clauseStance('Not more warnings', 'proposals')).toBe('opposes');
    expect(clauseStance('Tax gambling winnings heavily', 'agreement')).toBe('neutral');
    expect(clauseStance('It is a terrible, harmful plan', 'agreement')).toBe('opposes');
    expect(clauseStance('A great plan, wonderful', 'agreement')).toBe('supports');
  });

  it('combines clauses: a supporting clause wins over an opposing one', () => {
    expect(stanceOf(['I support education', 'instead of a complete ban.'], 'agreement')).toBe(
      'supports',
    );
    expect(stanceOf(['instead of a complete ban.'], 'agreement')).toBe('opposes');
    expect(stanceOf(['Open on Saturdays'], 'agreement')).toBe('neutral');
  });
});
