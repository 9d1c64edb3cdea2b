// Calendar dates as the initiatives feature keeps them: yyyy-mm-dd, checked to be real days, so
// review dates, go-live dates and DPIA completion dates can be compared as text.

/** A real calendar date written yyyy-mm-dd (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
