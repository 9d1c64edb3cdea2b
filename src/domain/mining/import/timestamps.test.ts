import { describe, expect, it } from 'vitest';
import { TimestampReader } from './timestamps.ts';

const utc = (s: string): number => Date.parse(s);

describe('TimestampReader', () => {
  it('reads ISO 8601 with and without a colon in the offset, Z, and fractions beyond milliseconds', () => {
    const r = new TimestampReader();
    expect(r.read('2014-04-10T22:00:00+0000', 2)).toBe(utc('2014-04-10T22:00:00Z'));
    expect(r.read('2011-10-11 13:45:40.276000+02:00', 3)).toBe(utc('2011-10-11T11:45:40.276Z'));
    expect(r.read('2024-01-02T08:00:00+0100', 4)).toBe(utc('2024-01-02T07:00:00Z'));
    expect(r.read('2024-01-02T08:00:00-05', 5)).toBe(utc('2024-01-02T13:00:00Z'));
    expect(r.read('2024-01-02T08:00:00Z', 6)).toBe(utc('2024-01-02T08:00:00Z'));
    expect(r.read('2024-01-02', 7)).toBe(utc('2024-01-02T00:00:00Z'));
    expect(r.withoutOffset).toBe(1);
  });

  it('reads year-first dates with slashes (sepsis) in the stated zone, across a daylight-saving change', () => {
    const r = new TimestampReader('auto', 'Europe/Amsterdam');
    // 22 Oct 2014 is summer time (UTC+2); 22 Nov 2014 winter time (UTC+1).
    expect(r.read('2014/10/22 11:15:41.000', 2)).toBe(utc('2014-10-22T09:15:41Z'));
    expect(r.read('2014/11/22 11:15:41.000', 3)).toBe(utc('2014-11-22T10:15:41Z'));
    expect(r.withoutOffset).toBe(2);
    expect(r.dateOrder).toBeNull();
  });

  it('reads day-first and month-first dates as told, with AM/PM', () => {
    expect(new TimestampReader('dmy').read('05/06/2014 11:15:41', 1)).toBe(
      utc('2014-06-05T11:15:41Z'),
    );
    expect(new TimestampReader('mdy').read('05/06/2014 3:15 PM', 1)).toBe(
      utc('2014-05-06T15:15:00Z'),
    );
    expect(new TimestampReader('mdy').read('05/06/2014 12:00 AM', 1)).toBe(
      utc('2014-05-06T00:00:00Z'),
    );
  });

  it('names the order in force when a date is impossible', () => {
    expect(() => new TimestampReader('dmy').read('31/02/2020', 9)).toThrow(
      'timestamp "31/02/2020" is not a valid date (day-first)',
    );
    expect(() => new TimestampReader('mdy').read('22/10/2014 11:15:41', 9)).toThrow(
      '(month-first)',
    );
    expect(() => new TimestampReader('ymd').read('22/10/2014', 9)).toThrow('year-first');
    expect(() => new TimestampReader().read('yesterday', 9)).toThrow('not in a recognised format');
    expect(() => new TimestampReader().read('2014-13-01T00:00:00Z', 9)).toThrow('not a valid date');
  });

  it('infers day-first only when a value settles it, and keeps the other reading until then', () => {
    const r = new TimestampReader('auto');
    const first = r.read('05/06/2014 10:00:00', 2);
    expect(first).toBe(utc('2014-06-05T10:00:00Z'));
    expect(r.alternate).toBe(utc('2014-05-06T10:00:00Z'));
    expect(r.ambiguous).toBe(true);
    r.read('22/10/2014 11:15:41', 3);
    expect(r.dateOrder).toBe('dmy');
    expect(r.detected).toBe(true);
    expect(r.evidence).toBe('line 3: "22/10/2014 11:15:41"');
    expect(() => r.read('10/22/2014', 4)).toThrow(
      'is not a valid date (day-first, as settled by line 3: "22/10/2014 11:15:41")',
    );
  });

  it('infers month-first from a second part above 12', () => {
    const r = new TimestampReader('auto');
    r.read('10/22/2014 11:15:41', 7);
    expect(r.dateOrder).toBe('mdy');
    expect(r.read('01/02/2014', 8)).toBe(utc('2014-01-02T00:00:00Z'));
  });

  it('rejects an unknown time zone', () => {
    expect(() => new TimestampReader('auto', 'Mars/Olympus')).toThrow('unknown time zone');
  });
});
