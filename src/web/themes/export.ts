// The exports of comment → theme: one row per uploaded row, in the file's order, with the redacted
// comment, its theme (id, name and key words) or why it has none, as CSV (cells that a spreadsheet
// would run as a formula are prefixed with an apostrophe) or as JSON with the themes themselves
// (name, description, key words and phrases, size, quotes). Everything in them is redacted.
import {
  redactPersonalData,
  type BroadTheme,
  type CommentMentions,
} from '../../domain/themes/index.ts';
import type { Analysis, CommentSet, StoredMentions, StoredTheme } from '../../storage/index.ts';
import {
  columns,
  tableToCsv,
  type Table,
  type TableCell,
  type WorkbookAbout,
} from '../../lib/table.ts';

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

const ASSIGNMENT_HEADER = [
  'row',
  'line',
  'date',
  'channel',
  'area',
  'respondent_group',
  'comment',
  'theme_id',
  'theme',
  'theme_key_words',
  'status',
  'stance',
  'also_mentions',
  'sentiment',
  'broad_theme_id',
  'broad_theme',
];

/** Comment → theme, one row per uploaded row: the CSV download and a sheet of the spreadsheet. */
export function assignmentsTable(
  rows: readonly ExportRow[],
  themes: readonly StoredTheme[],
  mentions: StoredMentions | null = null,
  broadThemes: readonly BroadTheme[] = [],
): Table {
  const byKey = new Map(themes.map((t) => [t.key, t]));
  const broadName = new Map(broadThemes.map((b) => [b.id, b.name]));
  return {
    name: 'Comments and themes',
    columns: columns(ASSIGNMENT_HEADER, ['date']),
    rows: rows.map((r): TableCell[] => {
      const theme = r.themeKey === null ? undefined : byKey.get(r.themeKey);
      const m = current(r, mentions);
      const others = (m?.themes ?? []).filter((x) => x.theme !== r.themeKey);
      return [
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
      ];
    }),
  };
}

export function csvExport(
  rows: readonly ExportRow[],
  themes: readonly StoredTheme[],
  mentions: StoredMentions | null = null,
  broadThemes: readonly BroadTheme[] = [],
): string {
  return tableToCsv(assignmentsTable(rows, themes, mentions, broadThemes), csvCell, { bom: true });
}

/**
 * The themes themselves (as in the JSON export): name, description, key words, how many comments,
 * sentiment and stance of the comments that mention each, its broad theme, and redacted quotes.
 */
export function themesTable(
  themes: readonly StoredTheme[],
  mentions: StoredMentions | null = null,
  broadThemes: readonly BroadTheme[] = [],
): Table {
  const broadName = new Map(broadThemes.map((b) => [b.id, b.name]));
  const byKey = new Map(themes.map((t) => [t.key, t]));
  return {
    name: 'Themes',
    columns: columns([
      'theme_id',
      'theme',
      'description',
      'key_words',
      'key_phrases',
      'comments',
      'share_of_comments',
      'also_mentioned_in_other_comments',
      'positive',
      'negative',
      'mixed',
      'neutral',
      'supports',
      'opposes',
      'neither',
      'broad_theme_id',
      'broad_theme',
      'similar_to',
      'quotes',
    ]),
    rows: themes.map((t): TableCell[] => {
      const m = mentions?.themes[t.key];
      const sentiment = m?.sentiment.counts;
      const stance = m?.stance?.counts;
      return [
        t.key,
        t.label,
        t.description,
        t.keyWords,
        t.keyPhrases.length === 0 ? null : t.keyPhrases.join('; '),
        t.size,
        t.share,
        m?.also ?? null,
        sentiment?.positive ?? null,
        sentiment?.negative ?? null,
        sentiment?.mixed ?? null,
        sentiment?.neutral ?? null,
        stance?.supports ?? null,
        stance?.opposes ?? null,
        stance?.neutral ?? null,
        t.parent,
        t.parent === null ? null : (broadName.get(t.parent) ?? null),
        t.similarTo === null ? null : (byKey.get(t.similarTo)?.label ?? t.similarTo),
        t.quotes.length === 0 ? null : t.quotes.join('\n'),
      ];
    }),
  };
}

/** The broad themes, where the analysis has two levels (as in the JSON export). */
export function broadThemesTable(
  broadThemes: readonly BroadTheme[],
  themes: readonly StoredTheme[],
): Table {
  const byKey = new Map(themes.map((t) => [t.key, t]));
  return {
    name: 'Broad themes',
    columns: columns([
      'broad_theme_id',
      'broad_theme',
      'description',
      'key_words',
      'key_phrases',
      'comments',
      'share_of_comments',
      'themes',
    ]),
    rows: broadThemes.map((b): TableCell[] => [
      b.id,
      b.name,
      b.description,
      b.label,
      b.keyPhrases.length === 0 ? null : b.keyPhrases.join('; '),
      b.size,
      b.share,
      b.themes.map((k) => byKey.get(k)?.label ?? k).join('; '),
    ]),
  };
}

/** Every table of an analysis for the spreadsheet: themes, broad themes (if any), comment → theme. */
export function themeTables(
  rows: readonly ExportRow[],
  themes: readonly StoredTheme[],
  mentions: StoredMentions | null = null,
  broadThemes: readonly BroadTheme[] = [],
): readonly Table[] {
  return [
    themesTable(themes, mentions, broadThemes),
    ...(broadThemes.length === 0 ? [] : [broadThemesTable(broadThemes, themes)]),
    assignmentsTable(rows, themes, mentions, broadThemes),
  ];
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

/** The About sheet of the themes spreadsheet: the comment set, the analysis, its period, redaction. */
export function themesAbout(found: {
  readonly analysis: Pick<Analysis, 'id' | 'createdAt' | 'finishedAt' | 'question'>;
  readonly set: Pick<CommentSet, 'name' | 'fileName'> | undefined;
  readonly rows: readonly ExportRow[];
}): WorkbookAbout {
  const dates = found.rows
    .map((r) => r.date ?? '')
    .filter((d) => /^\d{4}-\d{2}-\d{2}/.test(d))
    .sort();
  return {
    title: `Themes of the comments "${found.set?.name ?? 'comments'}"`,
    source: `Throughline comment themes: analysis ${found.analysis.id} of ${
      found.set?.fileName ?? 'the uploaded comments'
    }, started ${found.analysis.createdAt.slice(0, 10)}${
      found.analysis.finishedAt ? `, finished ${found.analysis.finishedAt.slice(0, 10)}` : ''
    }.${found.analysis.question ? ` Question asked: ${found.analysis.question}` : ''}`,
    period:
      dates.length === 0
        ? `${found.rows.length} comments; they carry no dates.`
        : `${found.rows.length} comments, dated ${dates[0]?.slice(0, 10)} to ${dates.at(-1)?.slice(0, 10)}.`,
    privacy:
      'Every text is redacted, as on the pages and in the CSV: e-mail addresses, UK phone numbers and postcodes, National Insurance numbers, payment card numbers and people’s names are replaced by a note such as [name removed]; theme names, key words and quotes are made from the redacted text.',
  };
}
