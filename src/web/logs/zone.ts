// The clock the log page shows its times in (issue 13, point 5): by default the log's own — the
// offset its timestamps carried (a +01:00 log shows its own dates, not a day early in UTC), or the
// zone its naive timestamps were read in — or a zone the person chooses, always stated. Dates typed
// into the filters are read in the same clock.
import { MONTH_NAMES } from '../../lib/dates.ts';
import { offsetText, type ImportReport } from '../../domain/mining/index.ts';

/** The zones offered besides the log's own. */
export const ZONE_CHOICES = ['log', 'UTC', 'Europe/London'] as const;
export type ZoneChoice = (typeof ZONE_CHOICES)[number];

export interface DisplayZone {
  readonly choice: ZoneChoice;
  /** A fixed offset in minutes east of UTC, or null for a named zone. */
  readonly offsetMinutes: number | null;
  readonly iana: string | null;
  /** "+01:00, the offset the log's timestamps carry" */
  readonly label: string;
}

export function readZoneChoice(value: unknown): ZoneChoice | null {
  if (value === undefined || value === '') return 'log';
  return typeof value === 'string' && (ZONE_CHOICES as readonly string[]).includes(value)
    ? (value as ZoneChoice)
    : null;
}

export function displayZone(report: ImportReport, choice: ZoneChoice): DisplayZone {
  if (choice !== 'log') return { choice, offsetMinutes: null, iana: choice, label: choice };
  const offset = report.timestamps.offsetMinutes ?? null;
  if (offset !== null && report.timestamps.withoutOffset === 0) {
    return {
      choice,
      offsetMinutes: offset,
      iana: null,
      label: `${offsetText(offset)}, the offset the log’s own timestamps carry`,
    };
  }
  const zone = report.timestamps.timeZone;
  return {
    choice,
    offsetMinutes: null,
    iana: zone,
    label: `${zone}, the time zone the log’s timestamps were read in`,
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of the zone at the instant. */
export function offsetAt(zone: DisplayZone, utcMs: number): number {
  if (zone.offsetMinutes !== null) return zone.offsetMinutes;
  const iana = zone.iana ?? 'UTC';
  let f = formatters.get(iana);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(iana, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** The wall-clock time in the zone, as a Date whose UTC fields read it. */
function wall(iso: string, zone: DisplayZone): Date {
  const t = Date.parse(iso);
  return new Date(t + offsetAt(zone, t) * 60_000);
}

/** "2011-03-01" in the zone. */
export function localDay(iso: string, zone: DisplayZone): string {
  return wall(iso, zone).toISOString().slice(0, 10);
}

/** GOV.UK style in the zone: "1 March 2011 at 12:30am". */
export function localDateTime(iso: string, zone: DisplayZone): string {
  const w = wall(iso, zone);
  const h = w.getUTCHours();
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const minute = String(w.getUTCMinutes()).padStart(2, '0');
  return `${w.getUTCDate()} ${MONTH_NAMES[w.getUTCMonth()] ?? ''} ${w.getUTCFullYear()} at ${hour12}:${minute}${h < 12 ? 'am' : 'pm'}`;
}

/** The instant (ISO, UTC) at which the day `yyyy-mm-dd` begins in the zone. */
export function dayStartUtc(day: string, zone: DisplayZone): string {
  const wallMs = Date.parse(`${day}T00:00:00Z`);
  let utc = wallMs - offsetAt(zone, wallMs) * 60_000;
  utc = wallMs - offsetAt(zone, utc) * 60_000;
  return new Date(utc).toISOString();
}
