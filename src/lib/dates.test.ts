import { describe, expect, it } from 'vitest';
import { MONTH_NAMES, WEEKDAY_NAMES } from './dates.ts';

describe('date names', () => {
  it('names months and weekdays in the order Date counts them', () => {
    expect(MONTH_NAMES).toHaveLength(12);
    expect(MONTH_NAMES[0]).toBe('January');
    expect(MONTH_NAMES[8]).toBe('September');
    expect(WEEKDAY_NAMES[new Date('2027-03-31T00:00:00Z').getUTCDay()]).toBe('Wednesday');
    expect(WEEKDAY_NAMES[0]).toBe('Sunday');
  });
});
