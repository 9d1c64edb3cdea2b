import { createReadStream, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitCalendar } from './calendar.ts';
import { readCsvLog } from './import/csv.ts';

async function* lines(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

/**
 * Eight weeks of a weekday office at +01:00: one case an hour from 09:00 to 16:00, Monday to Friday
 * (none at weekends), each registered at once and reviewed an hour later by Ann or Bob, the two of
 * them on duty together.
 */
function officeLog(): string {
  const rows = ['case:concept:name,concept:name,time:timestamp,org:resource'];
  const monday = Date.UTC(2024, 0, 1); // a Monday
  let n = 0;
  for (let week = 0; week < 8; week++) {
    for (let day = 0; day < 5; day++) {
      for (let hour = 9; hour < 16; hour++) {
        n++;
        const local = monday + ((week * 7 + day) * 24 + hour) * 3_600_000;
        const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+01:00`;
        rows.push(`c${n},Register,${at(local + 5 * 60_000)},Cy`);
        rows.push(`c${n},Review,${at(local + 65 * 60_000)},${hour % 2 === 0 ? 'Ann' : 'Bob'}`);
        rows.push(`c${n},Review,${at(local + 70 * 60_000)},${hour % 2 === 0 ? 'Bob' : 'Ann'}`);
      }
    }
  }
  return `${rows.join('\n')}\n`;
}

describe('fitCalendar on a synthetic weekday office', () => {
  it('reads the closed weekend, the opening hours in the log’s own offset, and the staff on duty', async () => {
    const log = await readCsvLog(lines(officeLog()));
    const fit = fitCalendar(log);
    expect(fit.offsetMinutes).toBe(60);
    expect(fit.evidence).toContain(
      'Times of day are read at +01:00, the commonest offset in the log.',
    );
    expect(fit.evidence).toContain(
      'No case started on Saturdays or Sundays in 8 weeks (280 cases).',
    );
    expect(fit.evidence).toContain('90 % of cases start between 09:00 and 16:00.');
    // One case in each office hour of a weekday (local time), none otherwise.
    expect(fit.arrivalsByHourOfWeek[9]).toBe(8); // Monday 09:00, eight weeks
    expect(fit.arrivalsByHourOfWeek[8]).toBe(0);
    expect(fit.arrivalsByHourOfWeek[5 * 24 + 10]).toBe(0); // Saturday
    expect(fit.calendar.weekly?.hours).toHaveLength(168);
    expect(fit.calendar.season).toBeUndefined(); // under a year
    const review = fit.activities.find((a) => a.activity === 'Review');
    expect(review?.roster).toEqual({
      shifts: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '10:00', to: '17:00', servers: 2 },
      ],
    });
    expect(review?.evidence).toBe(
      '100 % of “Review” events fall between 10:00 and 17:00 on weekdays (560 events).',
    );
    expect(review?.serversMethod).toContain('average number of different people');
  });

  it('says when there are too few cases to read a pattern', async () => {
    const text = officeLog().split('\n').slice(0, 31).join('\n');
    const fit = fitCalendar(await readCsvLog(lines(`${text}\n`)));
    expect(fit.calendar.weekly).toBeUndefined();
    expect(fit.evidence.join(' ')).toContain('Too few cases (10)');
    expect(fit.activities.find((a) => a.activity === 'Review')?.roster).toBeNull();
  });
});

const DIR = new URL('../../../../shared/data/eventlogs/', import.meta.url);
const path = (name: string) => new URL(name, DIR);
const present =
  existsSync(path('receipt.csv')) && existsSync(path('bpic15-1-building-permits.csv'));

describe.skipIf(!present)(
  'fitCalendar on the shared public logs (skipped: ../shared/data/eventlogs is absent)',
  () => {
    it('reads the receipt log as a weekday office at +01:00 with a seasonal pattern', async () => {
      const fit = fitCalendar(await readCsvLog(createReadStream(path('receipt.csv'))));
      expect(fit.offsetMinutes).toBe(60);
      // Counted independently: 4 of the 1,434 cases start on a Saturday or Sunday.
      expect(fit.evidence).toContain(
        'Cases start almost only on weekdays: 4 of 1,434 in a year started on a Saturday or Sunday.',
      );
      expect(fit.calendar.season?.months).toHaveLength(12);
      const t02 = fit.activities.find((a) => a.activity === 'T02 Check confirmation of receipt');
      expect(t02?.roster?.shifts[0]?.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
      expect(t02?.evidence).toMatch(
        /^9\d % of “T02 Check confirmation of receipt” events fall between 0[78]:00 and 1[67]:00 on weekdays/,
      );
    });

    it('recognises the building-permit log’s submission dates as dates without times', async () => {
      const fit = fitCalendar(
        await readCsvLog(createReadStream(path('bpic15-1-building-permits.csv'))),
      );
      expect(fit.datesOnly).toBe(true);
      // Midnight in the Netherlands, written in UTC: 22:00 in summer, 23:00 in winter.
      expect(fit.evidence.join(' ')).toContain(
        'at 22:00 or 23:00 (midnight of the date meant, written an hour apart as summer time comes and goes), so their start times are dates without times: the days of the week are read from the date meant',
      );
      // Counted independently (each case's first date, moved to the Dutch date): 24 on Saturdays
      // and 24 on Sundays of 1,199 — read at UTC it would be 24 and 208, a Monday taken for a Sunday.
      expect(fit.evidence.join(' ')).toContain('4 % of them on Saturdays and Sundays');
      // Spread evenly over each day's hours: no hour of a day differs from another.
      const hours = fit.calendar.weekly?.hours ?? [];
      expect(hours[10]).toBe(hours[3]);
    });
  },
);
