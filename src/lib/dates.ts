// Month and weekday names for dates people read, from the platform's own locale data (en-GB), so
// that no feature keeps its own list.

const month = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });
const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' });

/** "January" … "December", indexed like `Date.getUTCMonth()`. */
export const MONTH_NAMES: readonly string[] = Array.from({ length: 12 }, (_, i) =>
  month.format(new Date(Date.UTC(2000, i, 1))),
);

/** "Sunday" … "Saturday", indexed like `Date.getUTCDay()` (2 January 2000 was a Sunday). */
export const WEEKDAY_NAMES: readonly string[] = Array.from({ length: 7 }, (_, i) =>
  weekday.format(new Date(Date.UTC(2000, 0, 2 + i))),
);
