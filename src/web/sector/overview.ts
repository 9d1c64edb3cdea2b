// The sector view (issue 15, point 8; paper section 4 and Tables 3–5): one document a sector lead can
// open before a board meeting — the members and what they share, the institution's own sector-level
// round (capabilities 6–12), the benchmarks of its members (capabilities 1–5 and delivery-chain
// measures, exactly as the benchmarks page reads them, with the same hidden figures), AI incidents
// by just-culture class over time, and the exchange's activity. Each section says its period, its
// source and how many organisations stand behind it. The page and the PDF are both drawn from this
// one model, so they always say the same; its output depends only on its input.
import type { Level } from '../../domain/assessment/index.ts';
import { levelWithName, plural } from '../../domain/assessment/words.ts';
import type { Capability } from '../../domain/framework/index.ts';
import {
  CLASS_COLUMNS,
  CLASS_WORDS,
  DATA_KIND_WORDS,
  EXCHANGE_KINDS,
  EXCHANGE_TEMPLATES,
  SECTOR_DATA_KINDS,
  periodOfQuarters,
  quarterWords as quarterInWords,
  type ClassColumn,
  type ExchangeSeries,
  type IncidentSeries,
  type SectorDataKind,
} from '../../domain/sector/index.ts';
import { benchmarkChart } from './chart.ts';
import { countGridChart } from './overview-chart.ts';
import {
  dateWords,
  hiddenWords,
  levelFigure,
  measureFigure,
  periodWords,
  type BenchmarksDocument,
  type FigureDocument,
} from './view.ts';

export interface OverviewTable {
  readonly id: string;
  readonly caption: string;
  readonly head: readonly string[];
  /** The first cell of each row is its header. */
  readonly rows: readonly (readonly string[])[];
  /** Columns (by index) holding numbers, right-aligned. */
  readonly numeric?: readonly number[];
}

export interface OverviewSection {
  readonly id: string;
  readonly heading: string;
  /** Period, source and organisations, each one line. */
  readonly facts: readonly { readonly key: string; readonly value: string }[];
  readonly paragraphs: readonly string[];
  readonly items: readonly string[];
  /** An accessible SVG whose figures are all in `tables`. */
  readonly chart: string | null;
  readonly tables: readonly OverviewTable[];
}

export interface SectorOverview {
  readonly institutionName: string;
  readonly printedOn: string;
  readonly privacyRule: string;
  readonly summary: readonly string[];
  readonly sections: readonly OverviewSection[];
}

export interface SectorRoundInput {
  readonly title: string;
  readonly status: 'open' | 'closed' | 'finalised';
  readonly opensOn: string;
  readonly closesOn: string;
  readonly finalisedAt: string | null;
  readonly respondents: number;
  readonly groups: number;
  readonly capabilities: readonly Capability[];
  readonly levels: ReadonlyMap<
    string,
    { readonly level: Level | null; readonly source: 'agreed' | 'median' | 'none' }
  >;
}

export interface OverviewInput {
  readonly institutionName: string;
  readonly now: Date;
  readonly minimum: number;
  readonly members: { readonly active: number; readonly invited: number };
  readonly sharing: Readonly<Record<SectorDataKind, number>>;
  readonly round: SectorRoundInput | null;
  readonly benchmarks: BenchmarksDocument;
  readonly incidents: IncidentSeries;
  readonly referred: number;
  readonly exchange: ExchangeSeries;
  readonly problems: readonly {
    readonly title: string;
    readonly member: string;
    readonly joined: number;
  }[];
  readonly endorsed: readonly {
    readonly title: string;
    readonly kind: string;
    readonly member: string;
  }[];
}

const section = (
  id: string,
  heading: string,
  parts: Partial<Omit<OverviewSection, 'id' | 'heading'>>,
): OverviewSection => ({
  id,
  heading,
  facts: parts.facts ?? [],
  paragraphs: parts.paragraphs ?? [],
  items: parts.items ?? [],
  chart: parts.chart ?? null,
  tables: parts.tables ?? [],
});

const CLASS_HEAD: Readonly<Record<ClassColumn, string>> = {
  justifiable_experimentation: CLASS_WORDS.justifiable_experimentation.label,
  blameless_error: CLASS_WORDS.blameless_error.label,
  at_risk_behaviour: CLASS_WORDS.at_risk_behaviour.label,
  reckless_conduct: CLASS_WORDS.reckless_conduct.label,
  untriaged: 'Not yet triaged',
};

const ROUND_STATUS: Readonly<Record<SectorRoundInput['status'], string>> = {
  open: 'open, still taking answers: its levels may change',
  closed: 'closed, not yet finalised',
  finalised: 'finalised',
};

/** A figure's cells: median, middle half, organisations, period; or why it is hidden. */
function figureCells(f: FigureDocument, minimum: number, format: (x?: number) => string): string[] {
  if (!f.shown) return [hiddenWords(f, minimum), '–', '–', '–'];
  return [
    format(f.median),
    `${format(f.lowerQuartile)} to ${format(f.upperQuartile)}`,
    String(f.organisations ?? ''),
    periodWords(f.periodFrom, f.periodTo),
  ];
}

function membersSection(input: OverviewInput): OverviewSection {
  const asAt = dateWords(input.now.toISOString());
  return section('members', '1. Members and what they share', {
    facts: [
      { key: 'Period', value: `As at ${asAt}` },
      { key: 'Source', value: 'Your membership records and each member’s own consent choices' },
      {
        key: 'Organisations',
        value: `${plural(input.members.active, 'active member')}; ${plural(input.members.invited, 'invitation')} waiting`,
      },
    ],
    paragraphs: [
      'A member shares nothing by default and chooses, kind by kind, what it shares with you. A member that withdraws a kind of data is left out of every figure computed afterwards, here included (Hoskins 2025, section 4.5).',
    ],
    tables: [
      {
        id: 'sharing',
        caption: `What ${plural(input.members.active, 'active member')} share`,
        head: ['Kind of data', 'Members sharing it'],
        rows: SECTOR_DATA_KINDS.map((k) => [DATA_KIND_WORDS[k].label, String(input.sharing[k])]),
        numeric: [1],
      },
    ],
  });
}

function roundSection(input: OverviewInput): OverviewSection {
  const r = input.round;
  if (!r)
    return section('round', '2. The sector’s own capabilities (capabilities 6–12)', {
      facts: [
        { key: 'Period', value: 'No sector-level round has closed yet' },
        { key: 'Source', value: 'Your own sector-level assessment rounds' },
        { key: 'Organisations', value: 'Your institution' },
      ],
      paragraphs: [
        'Run a sector-level assessment round (capabilities 6 to 12, section 4 and Tables 3–5 of the paper) and close it to see its levels here.',
      ],
    });
  const rows = r.capabilities.map((c) => {
    const l = r.levels.get(c.id);
    return [
      `${c.number}. ${c.name}`,
      `${c.table}, section ${c.section}`,
      l?.level ? levelWithName(l.level) : 'No level: nobody gave one',
      l?.source === 'agreed'
        ? 'Agreed at moderation'
        : l?.source === 'median'
          ? 'Median of the answers'
          : '–',
    ];
  });
  const weakest = r.capabilities
    .map((c) => ({ c, level: r.levels.get(c.id)?.level ?? null }))
    .filter((x): x is { c: Capability; level: Level } => x.level !== null)
    .sort((a, b) => b.level - a.level)[0];
  return section('round', '2. The sector’s own capabilities (capabilities 6–12)', {
    facts: [
      {
        key: 'Period',
        value: `${dateWords(r.opensOn)} to ${dateWords(r.closesOn)}${r.finalisedAt ? `; finalised ${dateWords(r.finalisedAt)}` : ''}`,
      },
      {
        key: 'Source',
        value: `Your round ‘${r.title}’ (${ROUND_STATUS[r.status]}): ${plural(r.respondents, 'respondent')} in ${plural(r.groups, 'group')}`,
      },
      { key: 'Organisations', value: 'Your institution’s own view of the sector' },
    ],
    paragraphs: [
      'The seven capabilities no single organisation can exercise alone, which a body stewarding the sector builds (Hoskins 2025, section 4 and Tables 3–5). Levels run from 1 Outstanding to 5 Inadequate: lower is better.',
      ...(weakest
        ? [
            `The weakest is ${weakest.c.name}, at ${levelWithName(weakest.level)}. Read it beside the members’ benchmarks below: the sector’s capabilities are what lets members improve theirs.`,
          ]
        : []),
    ],
    tables: [
      {
        id: 'round-levels',
        caption: `Sector-level capabilities in ‘${r.title}’`,
        head: ['Capability', 'In the paper', 'Level', 'How the level was reached'],
        rows,
      },
    ],
  });
}

function benchmarksSection(input: OverviewInput): OverviewSection {
  const doc = input.benchmarks;
  const min = doc.minimumOrganisations;
  const capabilityRows = doc.capabilities.map((c) => [
    c.name,
    ...figureCells(c.allMembers, min, levelFigure),
  ]);
  const serviceTables: OverviewTable[] = doc.services.map((s) => ({
    id: `service-${s.serviceType}`,
    caption: s.name,
    head: ['Measure', 'Median', 'Middle half of members', 'Organisations', 'Period'],
    rows: s.measures.map((m) => [
      `${m.name} (${m.lowerIsBetter ? 'lower is better' : 'higher is better'})`,
      ...figureCells(m.allMembers, min, (x) => measureFigure(x, m.key)),
    ]),
    numeric: [3],
  }));
  const shown = doc.capabilities.filter((c) => c.allMembers.shown);
  return section('benchmarks', '3. Members’ benchmarks (capabilities 1–5 and delivery chains)', {
    facts: [
      {
        key: 'Period',
        value:
          periodWords(
            shown.map((c) => c.allMembers.periodFrom ?? '').sort()[0],
            shown
              .map((c) => c.allMembers.periodTo ?? '')
              .sort()
              .at(-1),
          ) || 'No figure to show yet',
      },
      {
        key: 'Source',
        value:
          'Members’ latest finalised organisation-level rounds and the measures of their tagged delivery chains, as on the benchmarks page',
      },
      {
        key: 'Organisations',
        value: `${plural(doc.membersSharing.results, 'member')} sharing results; ${plural(doc.membersSharing.chainMeasures, 'member')} sharing delivery-chain measures`,
      },
    ],
    paragraphs: [
      `Each figure is the spread across sharing members, one figure per organisation. Any figure from fewer than ${min} organisations is hidden. Levels run from 1 Outstanding to 5 Inadequate: lower is better.`,
    ],
    chart: doc.capabilities.length > 0 ? benchmarkChart(doc) : null,
    tables: [
      {
        id: 'capability-benchmarks',
        caption: 'Capability levels across all members (1 Outstanding to 5 Inadequate)',
        head: ['Capability', 'Median', 'Middle half of members', 'Organisations', 'Period'],
        rows: capabilityRows,
        numeric: [3],
      },
      ...serviceTables,
    ],
  });
}

function incidentsSection(input: OverviewInput): OverviewSection {
  const s = input.incidents;
  const periodLabel = (p: IncidentSeries['periods'][number]) =>
    p.merged ? periodOfQuarters(p.from, p.to) : quarterInWords(p.from);
  const first = s.periods[0];
  const last = s.periods.at(-1);
  const reports = (c: { incidents: number; nearMisses: number }) => c.incidents + c.nearMisses;
  const widening = s.tooFewMembers
    ? `All reports together come from fewer than ${s.minimum} members, so they are shown only as one total over the whole period.`
    : s.widened
      ? `Some quarters are shown together: a period is widened until its reports come from at least ${s.minimum} members, so no quarter points at the one or two members that reported in it.`
      : `Each quarter’s reports come from at least ${s.minimum} members.`;
  return section('incidents', '4. AI incidents and near misses by just-culture class', {
    facts: [
      {
        key: 'Period',
        value: first && last ? periodOfQuarters(first.from, last.to) : 'No report yet',
      },
      {
        key: 'Source',
        value:
          'Reports by members’ staff, triaged by each member’s own reviewers; counted by the quarter the incident or near miss happened in',
      },
      {
        key: 'Organisations',
        value: `Reports from current members only; ${plural(input.referred, 'report')} met your threshold for independent review`,
      },
    ],
    paragraphs: [
      'The paper’s just-culture classes decide the response: justifiable experimentation (share the findings), blameless human error (improve the system), at-risk behaviour (coaching), reckless conduct (may need sanction). Near misses are free lessons (Hoskins 2025, section 4.4 and Table 4). No reporter is named here or anywhere you can see.',
      ...(s.total > 0 ? [widening] : []),
    ],
    chart:
      s.periods.length > 0
        ? countGridChart({
            id: 'sector-incidents',
            title: 'Reports by just-culture class and period',
            columns: CLASS_COLUMNS.map((c) => CLASS_HEAD[c]),
            rows: s.periods.map((p) => ({
              label: periodLabel(p),
              counts: CLASS_COLUMNS.map((c) => reports(p.byClass[c])),
            })),
          })
        : null,
    tables:
      s.periods.length > 0
        ? [
            {
              id: 'incidents-by-period',
              caption: 'Reports (incidents and near misses) by class and period',
              head: ['Period', ...CLASS_COLUMNS.map((c) => CLASS_HEAD[c]), 'All reports'],
              rows: s.periods.map((p) => [
                periodLabel(p),
                ...CLASS_COLUMNS.map((c) => String(reports(p.byClass[c]))),
                String(p.total),
              ]),
              numeric: [1, 2, 3, 4, 5, 6],
            },
            {
              id: 'incidents-by-class',
              caption: `${plural(s.total, 'report')} by class, over the whole period`,
              head: ['Class', 'Response', 'Incidents', 'Near misses'],
              rows: CLASS_COLUMNS.map((c) => [
                CLASS_HEAD[c],
                c === 'untriaged' ? '' : CLASS_WORDS[c].response,
                String(s.totals[c].incidents),
                String(s.totals[c].nearMisses),
              ]),
              numeric: [2, 3],
            },
          ]
        : [],
  });
}

function exchangeSection(input: OverviewInput): OverviewSection {
  const e = input.exchange;
  const first = e.quarters[0];
  const last = e.quarters.at(-1);
  return section('exchange', '5. The sector exchange', {
    facts: [
      {
        key: 'Period',
        value:
          first && last ? periodOfQuarters(first.quarter, last.quarter) : 'Nothing published yet',
      },
      {
        key: 'Source',
        value:
          'Items members published to your exchange and still publish, counted by the quarter they were published in',
      },
      { key: 'Organisations', value: `${plural(e.publishers, 'member')} published` },
    ],
    paragraphs: [
      'Knowledge flowing between organisations: case studies in one reporting template, reusable components and standards, problem statements that pool demand for joint research or procurement, secondment and skills offers, and lessons (Hoskins 2025, sections 4.1, 4.3, 4.6 and 4.7).',
    ],
    items: [
      `${plural(e.total, 'item')} published, ${e.endorsed} endorsed by you as recommended practice`,
      `${plural(e.problems, 'problem statement')}, joined ${plural(e.problemJoins, 'time')} by other members`,
    ],
    chart:
      e.quarters.length > 0
        ? countGridChart({
            id: 'sector-exchange',
            title: 'Items published to the exchange by kind and quarter',
            columns: EXCHANGE_KINDS.map((k) => EXCHANGE_TEMPLATES[k].plural),
            rows: e.quarters.map((q) => ({
              label: quarterInWords(q.quarter),
              counts: EXCHANGE_KINDS.map((k) => q.byKind[k]),
            })),
          })
        : null,
    tables: [
      ...(e.quarters.length > 0
        ? [
            {
              id: 'exchange-by-quarter',
              caption: 'Items published by kind and quarter',
              head: [
                'Quarter',
                ...EXCHANGE_KINDS.map((k) => EXCHANGE_TEMPLATES[k].plural),
                'All items',
              ],
              rows: [
                ...e.quarters.map((q) => [
                  quarterInWords(q.quarter),
                  ...EXCHANGE_KINDS.map((k) => String(q.byKind[k])),
                  String(q.total),
                ]),
                [
                  'All quarters',
                  ...EXCHANGE_KINDS.map((k) => String(e.byKind[k])),
                  String(e.total),
                ],
              ],
              numeric: [1, 2, 3, 4, 5, 6],
            },
          ]
        : []),
      ...(input.problems.length > 0
        ? [
            {
              id: 'pooled-problems',
              caption: 'Problem statements and the members that joined them',
              head: ['Problem statement', 'Published by', 'Other members joined'],
              rows: input.problems.map((p) => [p.title, p.member, String(p.joined)]),
              numeric: [2],
            },
          ]
        : []),
      ...(input.endorsed.length > 0
        ? [
            {
              id: 'endorsed-items',
              caption: 'Endorsed as recommended practice',
              head: ['Item', 'Kind', 'Published by'],
              rows: input.endorsed.map((i) => [i.title, i.kind, i.member]),
            },
          ]
        : []),
    ],
  });
}

export function buildSectorOverview(input: OverviewInput): SectorOverview {
  const printedOn = dateWords(input.now.toISOString());
  const min = input.benchmarks.minimumOrganisations;
  const shownCapabilities = input.benchmarks.capabilities.filter((c) => c.allMembers.shown).length;
  return {
    institutionName: input.institutionName,
    printedOn,
    privacyRule: `Privacy rule: any benchmark figure drawn from fewer than ${min} organisations is hidden, here, in every download and in the API, and so is any group that would reveal a smaller one; incident periods are widened until each has reports from at least ${input.incidents.minimum} members; no one who reported an incident is named.`,
    summary: [
      `${plural(input.members.active, 'active member')}; ${input.sharing.results} ${input.sharing.results === 1 ? 'shares' : 'share'} finalised assessment results.`,
      `${shownCapabilities} of ${input.benchmarks.capabilities.length} capability benchmarks can be shown; the rest draw on too few organisations.`,
      `${plural(input.incidents.total, 'AI incident or near-miss report', 'AI incident and near-miss reports')}; ${plural(input.referred, 'report')} for independent review.`,
      `${plural(input.exchange.total, 'item')} in the sector exchange, ${input.exchange.endorsed} endorsed.`,
    ],
    sections: [
      membersSection(input),
      roundSection(input),
      benchmarksSection(input),
      incidentsSection(input),
      exchangeSection(input),
    ],
  };
}
