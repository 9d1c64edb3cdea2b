// Counts in words for messages people read: "1 comment", "3,046 comments" (issue 12, point 11).

/** The count with thousands separators and the noun in the number it needs. */
export function countOf(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? singular : pluralForm}`;
}
