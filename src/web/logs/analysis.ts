// The analysis of a stored event log as the log page, its exports and the JSON API all read it
// (one function each, so none of them can disagree): the decoded log, kept in a small cache; the
// stored analysis (or, with filters, the chosen cases analysed again) with people's corrections of
// wait kinds applied, on the clock chosen; and a delivery chain calibrated from it, as the
// "Create a delivery chain" button and POST /api/event-logs/:id/chain make it.
import type { FastifyRequest } from 'fastify';
import {
  WAIT_KIND_LABELS,
  analyseLog,
  applyCorrections,
  calibrateDeliveryChain,
  filterLog,
  type EventLog,
  type LogAnalysis,
  type LogFilter,
} from '../../domain/mining/index.ts';
import { decodeEventLog, type StoredLog } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { cachedLog } from './cache.ts';
import { readCalendar, readFold } from './calibration-view.ts';
import { LARGE_LOG_EVENTS, filteredAnalysis } from './filtered.ts';
import { readFilter, readMapOptions, type FilterQuery } from './view.ts';
import { displayZone, readZoneChoice } from './zone.ts';

/** The decoded log, from the cache when it is there. */
export const loadLog = (request: FastifyRequest, id: string): Promise<EventLog | undefined> =>
  cachedLog(request.scope.organisationId, id, async () => {
    const data = await request.scope.logs.data(id);
    return data === undefined ? undefined : decodeEventLog(data);
  });

/**
 * The analysis a log page or export shows: the stored analysis (or, with filters, the filtered
 * cases analysed again) with the people's corrections of wait kinds applied, read on the clock
 * chosen. The page, every export and the API go through here, so they cannot disagree.
 */
export const readAnalysis = async (
  request: FastifyRequest,
  stored: StoredLog,
  query: FilterQuery,
) => {
  const corrections = await request.scope.logs.corrections(stored.id);
  const correct = (a: LogAnalysis): LogAnalysis =>
    corrections.length === 0
      ? a
      : { ...a, bottleneck: applyCorrections(a.bottleneck, corrections) };
  const whole = correct(stored.analysis as LogAnalysis);
  const problems: [string, string][] = [];
  const choice = readZoneChoice(query.zone);
  if (choice === null) problems.push(['zone', 'Choose a time zone from the list']);
  const zone = displayZone(whole.import, choice ?? 'log');
  const map = readMapOptions(query);
  problems.push(...map.errors);
  const read = readFilter(query, whole, zone);
  let analysis: LogAnalysis | null = whole;
  let chosen: EventLog | null = null;
  let errors: FormErrors | undefined =
    read.errors === null && problems.length === 0
      ? undefined
      : formErrors([
          ...(read.errors?.list.map((e) => [e.href.slice(1), e.text] as [string, string]) ?? []),
          ...problems,
        ]);
  if (read.filter !== null && errors === undefined && stored.events > LARGE_LOG_EVENTS) {
    // A large log: worked out off the event loop, once per filter (filtered.ts).
    const outcome = await filteredAnalysis(
      request.scope.organisationId,
      stored.id,
      read.queryString,
      read.filter,
      () => request.scope.logs.data(stored.id),
    );
    if (outcome === undefined) return undefined;
    if (outcome.ok) analysis = outcome.analysis === null ? null : correct(outcome.analysis);
    else errors = formErrors([['attribute', outcome.message]]);
  } else if (read.filter !== null && errors === undefined) {
    const log = await loadLog(request, stored.id);
    if (log === undefined) return undefined;
    try {
      const filtered = filterLog(log, read.filter);
      chosen = filtered;
      analysis = filtered.caseIds.length === 0 ? null : correct(analyseLog(filtered));
    } catch (error) {
      errors = formErrors([['attribute', (error as Error).message]]);
    }
  }
  return { whole, analysis, read, zone, map: map.options, errors, corrections, chosen };
};

export type ChainFromLog =
  | { readonly ok: true; readonly chainId: string; readonly message: string }
  | { readonly ok: false; readonly reason: 'not-found' }
  | { readonly ok: false; readonly reason: 'too-few-cases'; readonly message: string }
  | { readonly ok: false; readonly reason: 'invalid'; readonly errors: FormErrors };

/**
 * Calibrates a delivery chain from the log's cases (filtered as the page's form says), with the
 * wait kinds the page shows, people's corrections included, and stores it (audited by the chain
 * store as an import). `options` are the page's form fields: filters, zone, fold and calendar.
 */
export async function createChainFromLog(
  request: FastifyRequest,
  stored: StoredLog,
  options: FilterQuery,
): Promise<ChainFromLog> {
  const whole = stored.analysis as LogAnalysis;
  const zoneChoice = readZoneChoice(options.zone) ?? 'log';
  const read = readFilter(options, whole, displayZone(whole.import, zoneChoice));
  const corrections = await request.scope.logs.corrections(stored.id);
  const log = await loadLog(request, stored.id);
  if (log === undefined) return { ok: false, reason: 'not-found' };
  let chosen: EventLog = log;
  if (read.filter !== null && read.errors === null)
    chosen = filterLog(log, read.filter as LogFilter);
  if (chosen.caseIds.length < 2) {
    return {
      ok: false,
      reason: 'too-few-cases',
      message: 'A delivery chain needs at least two cases: change the filters and try again.',
    };
  }
  const fold = readFold(options.fold);
  const calendar = readCalendar(options.calendar);
  if (fold.error !== null || calendar.error !== null) {
    const problems: [string, string][] = [];
    if (fold.error !== null) problems.push(['fold', fold.error]);
    if (calendar.error !== null) problems.push(['calendar', calendar.error]);
    return { ok: false, reason: 'invalid', errors: formErrors(problems) };
  }
  // The same wait kinds as the log page shows for these cases, people's corrections included.
  const page = chosen === log ? whole : analyseLog(chosen);
  const finding = applyCorrections(page.bottleneck, corrections);
  const name = `${stored.name}${read.label ? ` (${read.label})` : ''}`.slice(0, 120);
  const organisation = (await request.scope.organisation()).name;
  const result = calibrateDeliveryChain(chosen, {
    name,
    organisation,
    finding,
    fold: fold.share,
    calendar: calendar.fit,
  });
  const description = [
    `Calibrated from the event log “${stored.name}” (${chosen.caseIds.length.toLocaleString('en-GB')} cases${read.label ? `, ${read.label}` : ''}).`,
    ...result.notes.slice(0, 3),
    // People's corrections before the longer notes, so the 4,000-character cut never drops them.
    ...corrections.map(
      (c) =>
        `On the log page, ${c.by} corrected the wait before “${c.activity}” to ${WAIT_KIND_LABELS[c.kind]} (“${c.reason}”).`,
    ),
    ...result.notes.slice(3),
  ]
    .join(' ')
    .slice(0, 4000);
  const chainId = await request.scope.chains.create({ ...result.chain, description }, 'imported');
  return {
    ok: true,
    chainId,
    message: `Delivery chain created from the log “${stored.name}”. ${result.notes[0] ?? ''} ${result.chainCheck.statement}`,
  };
}
