// Reads the timestamps found in event logs and turns each into a true UTC instant (milliseconds).
//
// Accepted: ISO 8601 (`2014-04-10T22:00:00+0000`, `2011-10-11 13:45:40.276000+02:00`, `…Z`,
// a date alone), year-first with slashes or dots (`2014/10/22 11:15:41.000`), and `a/b/yyyy`
// dates (`22/10/2014 11:15:41`, `10/22/2014 3:15 PM`), whose order of day and month is either
// given (`dmy`, `mdy`) or inferred from the data — only when a value settles it (a first part
// above 12 means day-first, a second part above 12 means month-first). A timestamp without an
// offset is read as wall-clock time in the stated IANA zone (UTC by default), so daylight-saving
// changes shift the instant correctly.
import type { DateOrder } from '../model.ts';

export type DateOrderOption = DateOrder | 'auto';

/** A timestamp that cannot be read; the reader prefixes the line or element. */
export class TimestampError extends Error {}

const YEAR_FIRST =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const YEAR_LAST =
  /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:\s*([AP]M))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const ORDER_WORDS: Record<DateOrder, string> = {
  dmy: 'day-first',
  mdy: 'month-first',
  ymd: 'year-first',
};

export function describeOrder(order: DateOrder): string {
  return ORDER_WORDS[order];
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * The common layout `YYYY-MM-DD[T ]hh:mm:ss[.fff…][Z|±hh[:]mm]`, read from s[b, e) without a
 * regular expression or a substring. Returns NaN when the text has another layout (the general
 * path then reads it or explains what is wrong); sets `naive` when there is no offset.
 */
function fastIso(
  s: string,
  b: number,
  e: number,
  out: { naive: boolean; wall: number; dateKey: number; days: number },
): number {
  if (e - b < 19 || s.charCodeAt(b + 4) !== 45 || s.charCodeAt(b + 7) !== 45) return NaN;
  const sep = s.charCodeAt(b + 10);
  if ((sep !== 84 && sep !== 32) || s.charCodeAt(b + 13) !== 58 || s.charCodeAt(b + 16) !== 58)
    return NaN;
  const century = two(s, b);
  const decade = two(s, b + 2);
  const month = two(s, b + 5);
  const day = two(s, b + 8);
  const hour = two(s, b + 11);
  const minute = two(s, b + 14);
  const second = two(s, b + 17);
  // A non-digit makes its pair negative.
  if (century < 0 || decade < 0 || month < 1 || month > 12 || day < 1) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const year = century * 100 + decade;
  // Consecutive rows mostly share a date: reuse its day number once checked.
  const dateKey = year * 10_000 + month * 100 + day;
  if (dateKey !== out.dateKey) {
    if (day > daysInMonth(year, month)) return NaN;
    out.dateKey = dateKey;
    out.days = daysFromCivil(year, month, day);
  }
  let i = b + 19;
  let millis = 0;
  const dot = i < e ? s.charCodeAt(i) : 0;
  if (dot === 46 || dot === 44) {
    i++;
    let scale = 100;
    const from = i;
    while (i < e) {
      const d = digit(s, i);
      if (d < 0) break;
      if (scale >= 1) millis += d * scale;
      scale /= 10;
      i++;
    }
    if (i === from) return NaN;
  }
  out.wall = out.days * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  if (i === e) {
    out.naive = true;
    return out.wall;
  }
  out.naive = false;
  const sign = s.charCodeAt(i);
  if ((sign === 90 || sign === 122) && i + 1 === e) return out.wall;
  if ((sign !== 43 && sign !== 45) || i + 3 > e) return NaN;
  const oh = two(s, i + 1);
  let om = 0;
  let end = i + 3;
  if (end < e) {
    if (s.charCodeAt(end) === 58) end++;
    if (end + 2 > e) return NaN;
    om = two(s, end);
    end += 2;
  }
  if (end !== e || oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
  const offset = (oh * 60 + om) * 60_000;
  return sign === 43 ? out.wall - offset : out.wall + offset;
}

function lineLabel(line: number): string {
  return `line ${line.toLocaleString('en-GB')}`;
}

function offsetMinutes(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) throw new TimestampError(`offset "${text}" is out of range`);
  return sign * (hours * 60 + minutes);
}

/** Converts wall-clock times in one IANA zone to UTC, caching the zone's offset per hour. */
class ZoneConverter {
  private readonly format: Intl.DateTimeFormat | null;
  private readonly cache = new Map<number, number>();

  constructor(readonly zone: string) {
    if (zone === 'UTC' || zone === 'Etc/UTC') {
      this.format = null;
      return;
    }
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`unknown time zone "${zone}" (use an IANA name such as "Europe/London")`);
    }
  }

  /** Offset (ms) of the zone from UTC at a UTC instant. */
  private offsetAt(utc: number): number {
    const hour = Math.floor(utc / 3_600_000);
    const cached = this.cache.get(hour);
    if (cached !== undefined) return cached;
    const parts: Record<string, number> = {};
    for (const part of (this.format as Intl.DateTimeFormat).formatToParts(
      new Date(hour * 3_600_000),
    )) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year as number,
      (parts.month as number) - 1,
      parts.day as number,
      parts.hour as number,
      parts.minute as number,
      parts.second as number,
    );
    const offset = wall - hour * 3_600_000;
    this.cache.set(hour, offset);
    return offset;
  }

  toUtc(wall: number): number {
    if (this.format === null) return wall;
    const first = wall - this.offsetAt(wall);
    const second = wall - this.offsetAt(first);
    return second;
  }
}

/**
 * One reader per file: it remembers the date order once the data settle it, so later values
 * are read the same way (and a later contradiction is an error naming the order in force).
 */
export class TimestampReader {
  private readonly zone: ZoneConverter;
  private decided: DateOrder | null;
  private sawYearLast = false;
  /** Where the order was settled, for the import report. */
  evidence: string | null = null;
  /** After `read`: the month-first reading when the value was ambiguous and the order undecided. */
  alternate = NaN;
  withoutOffset = 0;
  /** Timestamps that carried an offset, by that offset in minutes east of UTC (Z is 0). */
  readonly offsets = new Map<number, number>();
  private lastOffset = NaN;
  private instantOffset = NaN;
  /** The first `a/b/yyyy` value seen, with its place, to show when the order stays unsettled. */
  firstYearLast: string | null = null;
  private lastText = '';
  private lastValue = NaN;
  private lastAlternate = NaN;
  private lastNaive = false;
  private naive = false;
  private readonly fast = { naive: false, wall: 0, dateKey: -1, days: 0 };

  constructor(
    readonly order: DateOrderOption = 'auto',
    readonly timeZone = 'UTC',
  ) {
    this.zone = new ZoneConverter(timeZone);
    this.decided = order === 'auto' ? null : order;
  }

  /** The order in force for `a/b/yyyy` dates, or null while undecided. */
  get dateOrder(): DateOrder | null {
    return this.decided;
  }

  get detected(): boolean {
    return this.order === 'auto' && this.decided !== null;
  }

  /** True when some `a/b/yyyy` value was seen but none settled the order. */
  get ambiguous(): boolean {
    return this.sawYearLast && this.decided === null;
  }

  /**
   * Reads the timestamp text[start, end) (a field in place, see CsvRow): the common ISO layout
   * without making a string, anything else as `read` does.
   */
  readRange(text: string, start: number, end: number, line: number): number {
    const fast = fastIso(text, start, end, this.fast);
    if (Number.isNaN(fast)) return this.read(text.slice(start, end), line);
    const naive = this.fast.naive;
    const value = naive ? this.zone.toUtc(this.fast.wall) : fast;
    if (naive) this.withoutOffset++;
    else this.noteOffset(this.fast.wall - fast);
    this.alternate = value;
    return value;
  }

  /**
   * Reads one timestamp. `line` is kept as evidence ("line 12") when this value settles the
   * date order. Throws TimestampError with a message naming the value.
   */
  read(raw: string, line: number): number {
    if (raw === this.lastText) {
      this.alternate = this.lastAlternate;
      if (this.lastNaive) this.withoutOffset++;
      else if (!Number.isNaN(this.lastOffset)) this.noteOffset(this.lastOffset);
      return this.lastValue;
    }
    const fast = fastIso(raw, 0, raw.length, this.fast);
    if (!Number.isNaN(fast)) {
      const value = this.fast.naive ? this.zone.toUtc(this.fast.wall) : fast;
      if (this.fast.naive) this.withoutOffset++;
      else this.noteOffset(this.fast.wall - fast);
      this.lastOffset = this.fast.naive ? NaN : this.fast.wall - fast;
      this.lastText = raw;
      this.lastValue = value;
      this.lastAlternate = value;
      this.lastNaive = this.fast.naive;
      this.alternate = value;
      return value;
    }
    const text = raw.trim();
    this.naive = false;
    this.instantOffset = NaN;
    let value: number;
    let alternate: number;
    const yearFirst = YEAR_FIRST.exec(text);
    if (yearFirst !== null) {
      value = this.instant(text, yearFirst, 1, 2, 3, 4, undefined, 8, 'ymd');
      alternate = value;
    } else {
      const yearLast = YEAR_LAST.exec(text);
      if (yearLast === null) {
        throw new TimestampError(
          `timestamp "${raw}" is not in a recognised format (ISO 8601 such as 2014-10-22T11:15:41+02:00, or 22/10/2014 11:15:41)`,
        );
      }
      if (!this.sawYearLast) this.firstYearLast = `"${raw}" (${lineLabel(line)})`;
      this.sawYearLast = true;
      if (this.order === 'ymd') {
        throw new TimestampError(
          `timestamp "${raw}" is not a valid date (year-first was chosen, but the year comes last)`,
        );
      }
      if (this.decided !== null) {
        const [d, m] = this.decided === 'dmy' ? [1, 2] : [2, 1];
        value = this.instant(raw, yearLast, 3, m, d, 4, 8, 9, this.decided);
        alternate = value;
      } else {
        const asDmy = this.tryInstant(raw, yearLast, 3, 2, 1);
        const asMdy = this.tryInstant(raw, yearLast, 3, 1, 2);
        if (Number.isNaN(asDmy) && Number.isNaN(asMdy)) {
          // Neither reading works: report it in the day-first reading, the commoner one.
          this.instant(raw, yearLast, 3, 2, 1, 4, 8, 9, 'dmy');
          throw new TimestampError(`timestamp "${raw}" is not a valid date`);
        }
        if (Number.isNaN(asMdy) || Number.isNaN(asDmy) || asDmy !== asMdy) {
          if (Number.isNaN(asMdy)) this.settle('dmy', raw, line);
          else if (Number.isNaN(asDmy)) this.settle('mdy', raw, line);
        }
        value = Number.isNaN(asDmy) ? asMdy : asDmy;
        alternate = Number.isNaN(asMdy) ? asDmy : asMdy;
        if (this.decided !== null) alternate = value;
      }
    }
    this.lastText = raw;
    this.lastValue = value;
    this.lastAlternate = alternate;
    this.lastNaive = this.naive;
    this.lastOffset = this.instantOffset;
    if (this.naive) this.withoutOffset++;
    else if (!Number.isNaN(this.instantOffset)) this.noteOffset(this.instantOffset);
    this.alternate = alternate;
    return value;
  }

  private noteOffset(ms: number): void {
    const minutes = Math.round(ms / 60_000);
    this.offsets.set(minutes, (this.offsets.get(minutes) ?? 0) + 1);
  }

  /** The most common offset among timestamps that carried one (minutes east of UTC), or null. */
  get commonOffset(): number | null {
    let best: number | null = null;
    let most = 0;
    for (const [minutes, n] of this.offsets) {
      if (n > most) {
        best = minutes;
        most = n;
      }
    }
    return best;
  }

  private settle(order: DateOrder, raw: string, line: number): void {
    this.decided = order;
    this.evidence = `${lineLabel(line)}: "${raw}"`;
  }

  private invalid(raw: string, order: DateOrder): TimestampError {
    let how = this.order === 'auto' && order !== 'ymd' ? '' : ` (${ORDER_WORDS[order]})`;
    if (this.order === 'auto' && this.decided !== null && order === this.decided) {
      how = ` (${ORDER_WORDS[order]}, as settled by ${this.evidence})`;
    }
    return new TimestampError(`timestamp "${raw}" is not a valid date${how}`);
  }

  private tryInstant(raw: string, m: RegExpExecArray, y: number, mo: number, d: number): number {
    try {
      return this.instant(raw, m, y, mo, d, 4, 8, 9, 'dmy');
    } catch {
      return NaN;
    }
  }

  private instant(
    raw: string,
    m: RegExpExecArray,
    yearGroup: number,
    monthGroup: number,
    dayGroup: number,
    hourGroup: number,
    meridiemGroup: number | undefined,
    offsetGroup: number,
    order: DateOrder,
  ): number {
    const year = Number(m[yearGroup]);
    const month = Number(m[monthGroup]);
    const day = Number(m[dayGroup]);
    let hour = m[hourGroup] === undefined ? 0 : Number(m[hourGroup]);
    const minute = m[hourGroup + 1] === undefined ? 0 : Number(m[hourGroup + 1]);
    const second = m[hourGroup + 2] === undefined ? 0 : Number(m[hourGroup + 2]);
    const fraction = m[hourGroup + 3];
    const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000 + 1e-6);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
      throw this.invalid(raw, order);
    const meridiem = meridiemGroup === undefined ? undefined : m[meridiemGroup];
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) throw this.invalid(raw, order);
      const pm = meridiem.toUpperCase() === 'PM';
      hour = (hour % 12) + (pm ? 12 : 0);
    }
    if (hour > 23 || minute > 59 || second > 59) throw this.invalid(raw, order);
    const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    const offset = m[offsetGroup];
    if (offset !== undefined) {
      this.instantOffset = offsetMinutes(offset) * 60_000;
      return wall - this.instantOffset;
    }
    this.naive = true;
    return this.zone.toUtc(wall);
  }
}
