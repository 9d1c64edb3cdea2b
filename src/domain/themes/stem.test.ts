import { describe, expect, it } from 'vitest';
import { stem } from './stem.ts';

describe('stem', () => {
  it('folds plurals and verb endings of one word to one stem', () => {
    const forms = ['charge', 'charges', 'charged', 'charging'];
    expect(new Set(forms.map(stem))).toEqual(new Set(['charg']));
    expect(stem('transferred')).toBe(stem('transfer'));
    expect(stem('transferring')).toBe(stem('transfers'));
    expect(stem('topping')).toBe(stem('top'));
    expect(stem('bins')).toBe('bin');
    expect(stem('queries')).toBe(stem('query'));
    expect(stem('boxes')).toBe('box');
  });

  it('leaves short words, numbers and non-plural endings alone', () => {
    expect(stem('bus')).toBe('bus');
    expect(stem('status')).toBe('status');
    expect(stem('address')).toBe('address');
    expect(stem('analysis')).toBe('analysis');
    expect(stem('need')).toBe('need');
    expect(stem('2024s')).toBe('2024s');
    expect(stem('fall')).toBe(stem('falling'));
  });

  it('maps irregular forms', () => {
    expect(stem('paid')).toBe('pay');
    expect(stem('stolen')).toBe('steal');
    expect(stem('people')).toBe('person');
  });
});
