// View models for the themes pages: what each page shows, worked out from the stored analysis, so
// that templates only lay it out. Numbers are formatted for people (12,345; 4.5%).
import type {
  Analysis,
  AnalysisSummary,
  CommentSet,
  OrgScope,
  StoredTheme,
  ThemeLink,
} from '../../storage/index.ts';
import {
  formatCount,
  formatShare,
  periodName,
  SENTIMENT_PARTS,
  splitBarsSvg,
  STANCE_PARTS,
  themeBarChartSvg,
  trendChartSvg,
} from './charts.ts';

const pct = (n: number, total: number): string =>
  total > 0 ? `${Math.round((100 * n) / total)}%` : '–';

/**
 * Several themes per comment, sentiment and stance by theme (issue 14), when the analysis has them:
 * each theme's counts, its sentiment (and stance) split as shares, and the charts of both. Null for
 * analyses stored before, or edited since they were found.
 */
function mentionsView(analysis: Analysis, themes: readonly StoredTheme[], setName: string) {
  const m = analysis.mentions;
  if (!m) return null;
  const rows = themes.map((t) => {
    const tm = m.themes[t.key];
    const sentiment = SENTIMENT_PARTS.map(
      (p) => tm?.sentiment.counts[p.name as keyof typeof tm.sentiment.counts] ?? 0,
    );
    const stance = tm?.stance
      ? STANCE_PARTS.map((p) => tm.stance?.counts[p.name as keyof typeof tm.stance.counts] ?? 0)
      : null;
    const sentimentTotal = tm?.sentiment.total ?? 0;
    const stanceTotal = tm?.stance?.total ?? 0;
    return {
      key: t.key,
      label: t.label,
      primary: tm?.primary ?? 0,
      also: tm?.also ?? 0,
      alsoText: formatCount(tm?.also ?? 0),
      sentiment,
      sentimentShares: sentiment.map((n) => pct(n, sentimentTotal)),
      stance,
      stanceShares: stance ? stance.map((n) => pct(n, stanceTotal)) : null,
    };
  });
  const overall = SENTIMENT_PARTS.map(
    (p) => m.sentiment.counts[p.name as keyof typeof m.sentiment.counts] ?? 0,
  );
  return {
    question: m.method.question,
    rows,
    overall: overall.map((n) => pct(n, m.sentiment.total)),
    sentimentChart: splitBarsSvg(
      rows.map((r) => ({ label: r.label, counts: r.sentiment })),
      SENTIMENT_PARTS,
      `Sentiment of the comments about each theme, ${setName}`,
    ),
    stanceChart:
      m.method.question === null
        ? null
        : splitBarsSvg(
            rows.map((r) => ({ label: r.label, counts: r.stance ?? [] })),
            STANCE_PARTS,
            `Stance of the responses towards each theme, ${setName}`,
          ),
    maxThemes: m.method.maxThemes,
  };
}

export function progressView(analysis: AnalysisSummary) {
  return {
    percent: analysis.status === 'done' ? 100 : analysis.progress,
    stage: analysis.stage,
    message:
      analysis.status === 'queued'
        ? 'Waiting to start.'
        : `${analysis.stage.charAt(0).toUpperCase()}${analysis.stage.slice(1)}.`,
    queued: analysis.status === 'queued',
    failed: analysis.status === 'failed',
  };
}

export const themeHref = (analysisId: string, key: string) =>
  `/themes/analyses/${analysisId}/themes/${encodeURIComponent(key)}`;

function linkView(link: ThemeLink) {
  return {
    id: link.id,
    kind: link.kind === 'stage' ? 'Delivery-chain stage' : 'Capability',
    note: link.note,
    href:
      link.kind === 'stage' && link.chainId !== null
        ? `/chains/${link.chainId}`
        : link.capabilityId !== null
          ? `/framework/${link.capabilityId}`
          : null,
  };
}

/** The name of the theme this one's name nearly repeats, while both are still there. */
function similarName(themes: readonly StoredTheme[], theme: StoredTheme): string | null {
  if (theme.similarTo === null) return null;
  return themes.find((t) => t.key === theme.similarTo)?.label ?? null;
}

export async function analysisPage(
  scope: OrgScope,
  set: CommentSet,
  analysis: Analysis,
  extra: { canEdit: boolean; breadcrumbs: unknown },
) {
  const themes = await scope.themes.themes(analysis.id);
  const links = await scope.themes.links(analysis.id);
  const broad = await scope.themes.broadThemes(analysis.id);
  const byKey = new Map(themes.map((t) => [t.key, t]));
  const counts = analysis.counts ?? { input: 0, analysed: 0, blank: 0, duplicate: 0, other: 0 };
  const otherShare = counts.other / Math.max(counts.analysed, 1);
  const bars = [
    ...themes.map((t) => ({ label: t.label, count: t.size, share: t.share })),
    ...(counts.other > 0
      ? [{ label: 'Other (fits no theme)', count: counts.other, share: otherShare, other: true }]
      : []),
  ];
  const chart = themeBarChartSvg(bars, `Comments in each theme, ${set.name}`);
  return {
    title: `Themes in ${set.name}`,
    set,
    analysis,
    counts: {
      input: formatCount(counts.input),
      analysed: formatCount(counts.analysed),
      blank: formatCount(counts.blank),
      duplicate: formatCount(counts.duplicate),
      other: formatCount(counts.other),
      otherShare: formatShare(otherShare),
      themes: themes.length,
    },
    chart,
    themes: themes.map((t) => ({
      key: t.key,
      href: themeHref(analysis.id, t.key),
      label: t.label,
      keyWords: t.keyWords,
      similarTo: similarName(themes, t),
      broadTheme: broad.find((b) => b.id === t.parent)?.name ?? null,
      size: formatCount(t.size),
      share: formatShare(t.share),
      keyPhrases: t.keyPhrases.slice(0, 5).join(', '),
      quote: t.quotes[0] ?? '',
      links: links.filter((l) => l.themeKey === t.key).map(linkView),
    })),
    // The broad level (analyses stored before it, or with too few themes, have none).
    broadThemes: broad.map((b) => ({
      id: b.id,
      name: b.name,
      keyWords: b.label,
      size: formatCount(b.size),
      share: formatShare(b.share),
      themes: b.themes.flatMap((key) => {
        const t = byKey.get(key);
        return t
          ? [
              {
                key,
                label: t.label,
                href: themeHref(analysis.id, key),
                size: formatCount(t.size),
                share: formatShare(t.share),
              },
            ]
          : [];
      }),
    })),
    otherHref: `/themes/analyses/${analysis.id}/other`,
    mentions: mentionsView(analysis, themes, set.name),
    exportHref: `/themes/analyses/${analysis.id}/export.csv`,
    exportJsonHref: `/themes/analyses/${analysis.id}/export.json`,
    exportXlsxHref: `/themes/analyses/${analysis.id}/export.xlsx`,
    notApplied: analysis.notApplied,
    method: analysis.method,
    ...extra,
  };
}

export interface ThemeCommentsPage {
  readonly offset: number;
  readonly limit: number;
}

export async function themePage(
  scope: OrgScope,
  set: CommentSet,
  analysis: Analysis,
  theme: StoredTheme | null,
  page: ThemeCommentsPage,
  extra: Record<string, unknown>,
) {
  const key = theme?.key ?? null;
  const { comments, total } = await scope.themes.commentsOf(analysis.id, key, page);
  const links =
    key === null ? [] : (await scope.themes.links(analysis.id)).filter((l) => l.themeKey === key);
  const trend = theme?.trend ?? null;
  const names = new Map((await scope.themes.themes(analysis.id)).map((t) => [t.key, t.label]));
  const label = theme?.label ?? 'Other: comments that fit no theme';
  const base = key === null ? `/themes/analyses/${analysis.id}/other` : themeHref(analysis.id, key);
  return {
    title: label,
    set,
    analysis,
    theme: theme
      ? {
          key: theme.key,
          label: theme.label,
          description: theme.description,
          keyWords: theme.keyWords,
          size: formatCount(theme.size),
          share: formatShare(theme.share),
          keyPhrases: theme.keyPhrases,
          quotes: theme.quotes,
          cohesion: theme.cohesion.toFixed(2),
        }
      : null,
    trend:
      trend && trend.points.length > 0
        ? {
            period: trend.period === 'month' ? 'month' : 'week',
            chart: trendChartSvg(
              trend.points,
              trend.period,
              `Comments per ${trend.period}: ${label}`,
            ),
            rows: trend.points.map((p) => [
              { text: periodName(p.start, trend.period) },
              { text: formatCount(p.count), format: 'numeric' },
            ]),
          }
        : null,
    links: links.map(linkView),
    comments: comments.map((c) => ({
      ...c,
      // Its other themes and stances, while the analysis has them (not after an edit).
      others:
        analysis.mentions && c.mentions
          ? c.mentions.themes
              .filter((m) => m.theme !== c.themeKey)
              .map((m) => ({
                label: names.get(m.theme) ?? m.theme,
                href: themeHref(analysis.id, m.theme),
                stance: m.stance ?? null,
              }))
          : [],
      stance:
        analysis.mentions && c.mentions
          ? (c.mentions.themes.find((m) => m.theme === c.themeKey)?.stance ?? null)
          : null,
      sentiment: analysis.mentions && c.mentions ? c.mentions.sentiment : null,
      moveHref: `/themes/analyses/${analysis.id}/comments/${c.id}/move`,
    })),
    total: formatCount(total),
    totalNumber: total,
    pagination: {
      previous: page.offset > 0 ? `${base}?from=${Math.max(0, page.offset - page.limit)}` : null,
      next: page.offset + page.limit < total ? `${base}?from=${page.offset + page.limit}` : null,
      from: total === 0 ? 0 : page.offset + 1,
      to: Math.min(total, page.offset + page.limit),
    },
    analysisHref: `/themes/analyses/${analysis.id}`,
    ...extra,
  };
}
