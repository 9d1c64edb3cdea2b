// What the event-log analysis page shows, worked out from the engine's analysis: the bottleneck
// finding and its evidence, the process map and its tables, the activity table, throughput and
// backlog with tables, variants; and the filter form (period, variant, case attribute), read from
// the query string and checked, so a filtered view has a plain address of its own.
import type { LogAnalysis, LogFilter } from '../../domain/mining/index.ts';
import { WAIT_KIND_LABELS } from '../../domain/mining/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { backlogSvg, throughputSvg } from './flow-charts.ts';
import { count, duration, percent } from './format.ts';
import {
  PATH_SHARES,
  processMapSvg,
  waitLabel,
  type MapOptions,
  type MapView,
} from './process-map.ts';
import { dayStartUtc, localDateTime, localDay, type DisplayZone } from './zone.ts';

export interface FilterQuery {
  readonly from?: string;
  readonly to?: string;
  readonly variant?: string;
  readonly attribute?: string;
  readonly detail?: string;
  readonly view?: string;
  readonly paths?: string;
  readonly zone?: string;
  /** The chain preview's folding threshold, per cent. */
  readonly fold?: string;
  /** Whether the chain reads opening hours and demand patterns from the log ("fit" or "none"). */
  readonly calendar?: string;
}

/** The map's view and how much of it to draw, from the query: only the choices offered. */
export function readMapOptions(query: FilterQuery): {
  options: MapOptions;
  errors: [string, string][];
} {
  const errors: [string, string][] = [];
  const viewRaw = text(query.view);
  let view: MapView = 'frequency';
  if (viewRaw === 'performance') view = 'performance';
  else if (viewRaw !== '' && viewRaw !== 'frequency')
    errors.push(['view', 'Choose how often or how long, from the list']);
  const pathsRaw = text(query.paths);
  let minShare = text(query.detail) === 'all' ? 0 : 0.05;
  if (pathsRaw !== '') {
    const at = (PATH_SHARES as readonly string[]).indexOf(pathsRaw);
    if (at < 0)
      errors.push([
        'paths',
        `Choose how much of the map to show from the list (${PATH_SHARES.map((p) => `${p}%`).join(', ')} of cases)`,
      ]);
    else minShare = Number(pathsRaw) / 100;
  }
  return { options: { view, minShare }, errors };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const VARIANTS_OFFERED = 25;
/** Paths listed in the table at most (a log of hundreds of activities has thousands). */
const MAX_EDGE_ROWS = 300;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  // Date.parse lets 30 February roll over into March: the day must read back unchanged.
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

function arrow(activities: readonly string[]): string {
  const shown =
    activities.length > 8 ? [...activities.slice(0, 4), '…', ...activities.slice(-3)] : activities;
  return shown.join(' → ');
}

/** Reads the filters; an empty form means the whole log. */
export function readFilter(
  query: FilterQuery,
  whole: LogAnalysis,
  zone: DisplayZone,
): { filter: LogFilter | null; errors: FormErrors | null; queryString: string; label: string } {
  const from = text(query.from);
  const to = text(query.to);
  const variant = text(query.variant);
  const attribute = text(query.attribute);
  const problems: [string, string][] = [];
  if (from !== '' && !validDate(from))
    problems.push(['from', 'Enter the start date as a real date, for example 2011-03-01']);
  if (to !== '' && !validDate(to))
    problems.push(['to', 'Enter the end date as a real date, for example 2011-06-30']);
  if (from !== '' && to !== '' && validDate(from) && validDate(to) && from > to) {
    problems.push(['to', 'The end date must be the same as or after the start date']);
  }
  let variantActivities: readonly string[] | null = null;
  if (variant !== '') {
    const rank = Number(variant);
    const found = Number.isInteger(rank) ? whole.variants[rank - 1] : undefined;
    if (found === undefined) problems.push(['variant', 'Select a variant from the list']);
    else variantActivities = found.activities;
  }
  let pair: { name: string; value: string } | null = null;
  if (attribute !== '') {
    const at = attribute.indexOf('=');
    if (at <= 0) problems.push(['attribute', 'Select a case attribute from the list']);
    else pair = { name: attribute.slice(0, at), value: attribute.slice(at + 1) };
  }
  const params = new URLSearchParams();
  if (from !== '') params.set('from', from);
  if (to !== '') params.set('to', to);
  if (variant !== '') params.set('variant', variant);
  if (attribute !== '') params.set('attribute', attribute);
  if (problems.length > 0) {
    return {
      filter: null,
      errors: formErrors(problems),
      queryString: params.toString(),
      label: '',
    };
  }
  if (from === '' && to === '' && variantActivities === null && pair === null) {
    return { filter: null, errors: null, queryString: '', label: '' };
  }
  const labels: string[] = [];
  if (pair !== null) labels.push(`${attributeLabel(pair.name)}: ${pair.value}`);
  if (variantActivities !== null) labels.push(`variant ${variant}`);
  if (from !== '' || to !== '') {
    labels.push(
      from !== '' && to !== ''
        ? `started ${from} to ${to}`
        : from !== ''
          ? `started from ${from}`
          : `started up to ${to}`,
    );
  }
  // Dates are days on the clock the page shows (the log's own, or the zone chosen).
  const nextDay = (d: string) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const endOfDay = (d: string) => dayStartUtc(nextDay(d), zone);
  return {
    filter: {
      ...(from !== '' || to !== ''
        ? {
            period: {
              ...(from !== '' ? { from: dayStartUtc(from, zone) } : {}),
              ...(to !== '' ? { to: endOfDay(to) } : {}),
              mode: 'started' as const,
            },
          }
        : {}),
      ...(variantActivities !== null ? { variants: [variantActivities] } : {}),
      ...(pair !== null ? { caseAttribute: { name: pair.name, values: [pair.value] } } : {}),
    },
    errors: null,
    queryString: params.toString(),
    label: labels.join(', '),
  };
}

/** "case:channel" → "Channel". */
export function attributeLabel(name: string): string {
  const bare = name.replace(/^case:/, '').replace(/[_:]/g, ' ');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

/** The choices in the filter form. */
export function filterChoices(
  whole: LogAnalysis,
  query: FilterQuery,
  attributes: readonly { name: string; values: readonly string[] }[],
  zone: DisplayZone,
) {
  const variant = text(query.variant);
  const attribute = text(query.attribute);
  return {
    from: text(query.from),
    to: text(query.to),
    firstDay: whole.period === null ? '' : localDay(whole.period.first, zone),
    lastDay: whole.period === null ? '' : localDay(whole.period.last, zone),
    variantItems: [
      { value: '', text: 'All variants', selected: variant === '' },
      ...whole.variants.slice(0, VARIANTS_OFFERED).map((v, i) => ({
        value: String(i + 1),
        text: `${i + 1}: ${count(v.cases)} cases (${percent(v.share)}) – ${arrow(v.activities)}`,
        selected: variant === String(i + 1),
      })),
    ],
    attributeItems: [
      { value: '', text: 'All cases', selected: attribute === '' },
      ...attributes.flatMap((a) =>
        a.values.map((value) => ({
          value: `${a.name}=${value}`,
          text: `${attributeLabel(a.name)}: ${value}`,
          selected: attribute === `${a.name}=${value}`,
        })),
      ),
    ],
    hasAttributes: attributes.length > 0,
  };
}

export function analysisView(
  analysis: LogAnalysis,
  options: { map: MapOptions; zone: DisplayZone },
) {
  const map = processMapSvg(analysis, options.map);
  const finding = analysis.bottleneck;
  const zone = options.zone;
  const unit = analysis.periodUnit;
  return {
    counts: {
      cases: count(analysis.counts.cases),
      events: count(analysis.counts.events),
      activities: count(analysis.counts.activities),
      variants: count(analysis.counts.variants),
      resources: count(analysis.counts.resources),
    },
    period:
      analysis.period === null
        ? null
        : {
            first: localDateTime(analysis.period.first, zone),
            last: localDateTime(analysis.period.last, zone),
          },
    timing: analysis.timing,
    caseDuration: {
      median: duration(analysis.caseDuration.median),
      mean: duration(analysis.caseDuration.mean),
      p90: duration(analysis.caseDuration.p90),
    },
    finding: {
      named: finding.bottleneck?.activity ?? null,
      capacityBottleneck: finding.capacityBottleneck?.activity ?? null,
      capacityShare:
        finding.capacityBottleneck === null
          ? null
          : percent(finding.capacityBottleneck.waitingShare),
      namedKind: finding.bottleneck?.kindLabel ?? null,
      capacity: finding.bottleneck?.capacity ?? false,
      // The caveat (completion times only) is shown once, as a warning, not also inside the finding.
      statement:
        finding.caveat === null
          ? finding.statement
          : finding.statement.replace(finding.caveat, '').trim(),
      caveat: finding.caveat,
      candidates: finding.candidates.map((c) => ({
        rank: c.rank,
        activity: c.activity,
        kind: c.kindLabel,
        isBottleneck: finding.bottleneck?.activity === c.activity,
        explanation: c.explanation,
        kindValue: c.kind,
        corrected:
          c.correction === undefined
            ? null
            : {
                by: c.correction.by,
                at: c.correction.at,
                reason: c.correction.reason,
                detected: WAIT_KIND_LABELS[c.detectedKind ?? c.kind],
              },
        share: percent(c.evidence.waitingShare),
        median: duration(c.evidence.medianSeconds),
        mean: duration(c.evidence.meanSeconds),
        p90: duration(c.evidence.p90Seconds),
        observations: count(c.evidence.observations),
        correlation:
          c.evidence.queueCorrelation === null ? '–' : c.evidence.queueCorrelation.toFixed(2),
        utilisation: c.evidence.utilisation === null ? '–' : percent(c.evidence.utilisation),
      })),
      kinds: Object.values(WAIT_KIND_LABELS),
    },
    map,
    mapView: options.map.view,
    activities: [...analysis.activities]
      .sort((a, b) => b.waitingShare - a.waitingShare || b.count - a.count)
      .map((a) => ({
        activity: a.activity,
        count: count(a.count),
        cases: count(a.cases),
        service: a.serviceTime === null ? 'not recorded' : duration(a.serviceTime.median),
        waitMedian: a.waitingTime.count === 0 ? '–' : duration(a.waitingTime.median),
        waitMean: a.waitingTime.count === 0 ? '–' : duration(a.waitingTime.mean),
        waitP90: a.waitingTime.count === 0 ? '–' : duration(a.waitingTime.p90),
        share: percent(a.waitingShare),
        resources: a.resources === 0 ? '–' : count(a.resources),
        note: waitLabel(analysis, a.activity),
      })),
    edgesTotal: analysis.edges.length,
    edges: [...analysis.edges]
      .sort((a, b) => b.frequency - a.frequency)
      .slice(0, MAX_EDGE_ROWS)
      .map((e) => ({
        from: e.from,
        to: e.to,
        frequency: count(e.frequency),
        cases: count(e.cases),
        mean: duration(e.time.mean),
        median: duration(e.time.median),
        p90: duration(e.time.p90),
      })),
    starts: analysis.startActivities.map((s) => ({ activity: s.activity, count: count(s.count) })),
    ends: analysis.endActivities.map((s) => ({ activity: s.activity, count: count(s.count) })),
    unit,
    throughputSvg: throughputSvg(analysis.flow, unit),
    backlogSvg: backlogSvg(analysis.flow, unit),
    flow: analysis.flow.map((p) => ({
      period: p.period,
      arrived: count(p.arrived),
      completed: count(p.completed),
      open: count(p.openAtEnd),
    })),
    variants: analysis.variants.slice(0, 10).map((v, i) => ({
      rank: i + 1,
      cases: count(v.cases),
      share: percent(v.share),
      steps: v.activities.length,
      path: arrow(v.activities),
    })),
    resources: [...analysis.resources]
      .sort((a, b) => b.events - a.events)
      .slice(0, 15)
      .map((r) => ({
        resource: r.resource,
        events: count(r.events),
        cases: count(r.cases),
        activities: count(r.activities),
        perWeek: r.eventsPerWeek.toFixed(1),
      })),
    moreResources: Math.max(0, analysis.resources.length - 15),
  };
}
