// The exports of comment → theme: one row per uploaded row, in the file's order, with the redacted
// comment, its theme (id, name and key words) or why it has none, as CSV (cells that a spreadsheet
// would run as a formula are prefixed with an apostrophe) or as JSON with the themes themselves
// (name, description, key words and phrases, size, quotes). Everything in them is redacted.
import {
  redactPersonalData,
  type BroadTheme,
  type CommentMentions,
} from '../../domain/themes/index.ts';
import type { StoredMentions, StoredTheme } from '../../storage/index.ts';

export interface ExportRow {
  readonly row: number;
  readonly line: number;
  readonly text: string;
  readonly date: string | null;
  readonly channel: string | null;
  readonly area: string | null;
  readonly group: string | null;
  readonly themeKey: string | null;
  readonly reason: string | null;
  /** Its themes with score, sentiment and stance; null for older analyses. */
  readonly mentions?: CommentMentions | null | undefined;
}

/**
 * Several themes per comment, sentiment and stance (issue 14) go into the exports only while the
 * analysis has them: not for analyses stored before, nor after an edit until it is run again.
 */
const current = (r: ExportRow, mentions: StoredMentions | null): CommentMentions | null =>
  mentions ? (r.mentions ?? null) : null;

const STATUS: Readonly<Record<string, string>> = {
  blank: 'set aside: blank',
  duplicate: 'set aside: repeat of an earlier comment',
  other: 'other: fits no theme',
};

export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvExport(
  rows: readonly ExportRow[],
  themes: readonly StoredTheme[],
  mentions: StoredMentions | null = null,
  broadThemes: readonly BroadTheme[] = [],
): string {
  const byKey = new Map(themes.map((t) => [t.key, t]));
  const broadName = new Map(broadThemes.map((b) => [b.id, b.name]));
  const lines = [
    'row,line,date,channel,area,respondent_group,comment,theme_id,theme,theme_key_words,status,' +
      'stance,also_mentions,sentiment,broad_theme_id,broad_theme',
  ];
  for (const r of rows) {
    const theme = r.themeKey === null ? undefined : byKey.get(r.themeKey);
    const m = current(r, mentions);
    const others = (m?.themes ?? []).filter((x) => x.theme !== r.themeKey);
    lines.push(
      [
        r.row,
        r.line,
        r.date,
        redactOrNull(r.channel),
        redactOrNull(r.area),
        redactOrNull(r.group),
        r.text,
        r.themeKey,
        r.themeKey === null ? null : (theme?.label ?? r.themeKey),
        theme?.keyWords ?? null,
        r.themeKey !== null ? 'theme' : (STATUS[r.reason ?? 'other'] ?? r.reason),
        m?.themes.find((x) => x.theme === r.themeKey)?.stance ?? null,
        others.length === 0
          ? null
          : others
              .map(
                (x) => `${byKey.get(x.theme)?.label ?? x.theme}${x.stance ? ` (${x.stance})` : ''}`,
              )
              .join('; '),
        m?.sentiment ?? null,
        theme?.parent ?? null,
        theme?.parent ? (broadName.get(theme.parent) ?? null) : null,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const redactOrNull = (value: string | null): string | null =>
  value === null ? null : redactPersonalData(value);

/** The JSON export: the themes, then every row with its theme or why it has none. */
export function jsonExport(
  rows: readonly ExportRow[],
  themes: readonly StoredTheme[],
  about: { readonly set: string; readonly analysisId: string },
  mentions: StoredMentions | null = null,
  broadThemes: readonly BroadTheme[] = [],
): unknown {
  const byKey = new Map(themes.map((t) => [t.key, t]));
  return {
    set: about.set,
    analysis: about.analysisId,
    question: mentions?.method.question ?? null,
    sentiment: mentions?.sentiment ?? null,
    broadThemes: broadThemes.map((b) => ({
      id: b.id,
      name: b.name,
      description: b.description,
      keyWords: b.label,
      keyPhrases: b.keyPhrases,
      size: b.size,
      share: b.share,
      themes: b.themes,
    })),
    themes: themes.map((t) => ({
      id: t.key,
      name: t.label,
      description: t.description,
      keyWords: t.keyWords,
      keyPhrases: t.keyPhrases,
      similarTo: t.similarTo,
      parent: t.parent,
      size: t.size,
      share: t.share,
      quotes: t.quotes,
      trend: t.trend,
      mentions: mentions?.themes[t.key] ?? null,
    })),
    rows: rows.map((r) => ({
      row: r.row,
      line: r.line,
      date: r.date,
      channel: redactOrNull(r.channel),
      area: redactOrNull(r.area),
      group: redactOrNull(r.group),
      comment: r.text,
      theme: r.themeKey,
      broadTheme: r.themeKey === null ? null : (byKey.get(r.themeKey)?.parent ?? null),
      status: r.themeKey !== null ? 'theme' : (r.reason ?? 'other'),
      themes: current(r, mentions)?.themes ?? null,
      sentiment: current(r, mentions)?.sentiment ?? null,
    })),
  };
}
