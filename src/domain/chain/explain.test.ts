// Numbers in findings are written one way everywhere: a signed change with a real minus sign,
// money with the same decimals on both sides of a comparison, nothing at all where nothing exists.
import { describe, expect, it } from 'vitest';
import { duration, signedChange } from './explain.ts';
import { formatMeasure } from './measures.ts';

describe('plain-words numbers', () => {
  it('signs a relative change, rounding to a tenth of a percent', () => {
    expect(signedChange(0.125)).toBe('+12.5%');
    expect(signedChange(-0.03)).toBe('−3.0%');
    expect(signedChange(0.00004)).toBe('0.0%');
    expect(signedChange(null)).toBe('');
  });

  it('formats each kind of measure', () => {
    expect(formatMeasure(100 / 3, 'money', 40)).toBe('33.33');
    expect(formatMeasure(70, 'money', 40, 'none', 100)).toBe('70');
    expect(formatMeasure(0.82, 'percent', 40)).toBe('82%');
    expect(formatMeasure(20 / 120, 'number', 40)).toBe('0.167');
    expect(formatMeasure(0, 'number', 40, 'unbounded', 2.2)).toBe('0.00');
    expect(formatMeasure(0, 'number', 40)).toBe('0');
    expect(formatMeasure(40, 'hours', 40)).toBe(duration(40, 40));
    expect(formatMeasure(null, 'hours', 40, 'unbounded')).toBe('growing without limit');
    expect(formatMeasure(null, 'money', 40)).toBe('none');
  });
});
