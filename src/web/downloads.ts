// Names of downloaded files: a title as lower-case letters, digits and hyphens (accents dropped), so a
// file saves under the same name on every system and no header can be forged through a title.

/** "Predicting refusals – Café" → "predicting-refusals-cafe"; the fallback when nothing is left. */
export function fileSlug(text: string, fallback: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || fallback;
}
