// Export builders shared by the pages and the JSON API, so both give exactly the same files.
import {
  attentionTable,
  responsesToCsv,
  resultsTable,
  roundReport,
  type Answer,
  type Level,
  type RoundReport,
} from '../domain/assessment/index.ts';
import { csvField, tableToCsv, type Table, type WorkbookAbout } from '../lib/table.ts';
import type { OrgScope } from '../storage/index.ts';
import type { RoundResults } from './assessmentResults.ts';

export async function targetsOf(scope: OrgScope): Promise<Record<string, Level>> {
  return Object.fromEntries(
    (await scope.assessments.targets()).map((t) => [t.capabilityId, t.targetLevel]),
  );
}

export async function resultsReport(_scope: OrgScope, r: RoundResults): Promise<RoundReport> {
  return Promise.resolve(resultsReportOf(r));
}

/** The JSON report: a finalised round's own targets (RoundResults.targets), never today's. */
export function resultsReportOf(r: RoundResults): RoundReport {
  return roundReport(r.framework, r.summary, {
    agreed: r.agreed,
    targets: r.targets,
    round: {
      id: r.round.id,
      title: r.round.title,
      scope: r.round.scope,
      status: r.round.status,
      opensOn: r.round.opensOn,
      closesOn: r.round.closesOn,
      respondents: r.respondents,
      snapshotVersion: r.snapshot?.version ?? null,
      snapshotCreatedAt: r.snapshot?.createdAt ?? null,
      // Issue 12, point 3: where the targets come from ('current' for a round not yet finalised;
      // 'recorded', 'reconstructed' or 'unrecorded' for a finalised one). Not the newest version's
      // number: a version's export stays byte for byte the same after a correction.
      targetsBasis: r.targetsBasis,
    },
  });
}

export function resultsCsv(r: RoundResults): string {
  return tableToCsv(resultsTables(r)[0], csvField);
}

/**
 * The tables of a round's results, for the CSV (the first) and the spreadsheet (all): the results
 * as in the CSV, then the JSON report's attention order with targets. Both are read from the same
 * figures the page shows, after disclosure control: a hidden group has no row and no name.
 */
export function resultsTables(r: RoundResults): readonly [Table, ...Table[]] {
  return [
    resultsTable(r.framework, r.summary.results, r.agreed),
    attentionTable(resultsReportOf(r)),
  ];
}

const isoDay = (iso: string) => iso.slice(0, 10);

/** The About sheet of the results spreadsheet: the round, its version, period and privacy rule. */
export function resultsAbout(r: RoundResults): WorkbookAbout {
  const hidden = new Set(
    r.summary.results.flatMap((c) => c.groups.filter((g) => g.hidden).map((g) => g.groupId)),
  );
  return {
    title: `Results of the assessment round "${r.round.title}"`,
    source: `Throughline assessment results, ${r.framework.id} framework version ${r.framework.version}; ${
      r.snapshot
        ? `finalised version ${r.snapshot.version} of ${r.snapshot.latestVersion}, written ${isoDay(r.snapshot.createdAt)}`
        : `round ${r.round.status}, figures as they stand now`
    }; ${r.respondents} ${r.respondents === 1 ? 'respondent' : 'respondents'}.`,
    period: `Opens ${r.round.opensOn}, closes ${r.round.closesOn}.`,
    privacy: `Disclosure control, as on the results page and in the CSV: a group's figures are shown only where at least ${r.summary.options.minGroupSize} people in it gave a level, and a group hidden for a capability has no row there, name included (another group may be hidden with it so that it cannot be worked out by subtraction). ${
      hidden.size === 0
        ? 'No group is hidden in this round.'
        : `${hidden.size} of the round's ${r.round.groups.length} groups ${hidden.size === 1 ? 'is' : 'are'} hidden for at least one capability.`
    } No names of respondents.`,
    more: [
      [
        'Level scale',
        '1 = Outstanding (best), 2 = Good, 3 = Adequate, 4 = Needs Improvement, 5 = Inadequate (worst). A lower number is better.',
      ],
    ],
  };
}

/**
 * Individual responses (submitted, not withdrawn); respondents are numbered unless identities are
 * asked for (admins only), and groups hidden anywhere in the results are not named (responsesCsv.ts).
 */
export async function responsesCsv(
  scope: OrgScope,
  r: RoundResults,
  identities: boolean,
): Promise<string> {
  const responses = (await scope.assessments.responses(r.round.id)).filter(
    (x) => x.status === 'submitted' && x.revokedAt === null,
  );
  const byResponse = new Map<string, Answer[]>();
  for (const a of r.answers)
    byResponse.set(a.responseId, [...(byResponse.get(a.responseId) ?? []), a]);
  return responsesToCsv(
    r.framework,
    responses.map((x) => ({
      responseId: x.id,
      groupId: x.groupId,
      groupName: x.groupName,
      label: x.label,
      submittedAt: x.submittedAt,
      answers: byResponse.get(x.id) ?? [],
    })),
    { identities, results: r.summary.results, minGroupSize: r.summary.options.minGroupSize },
  );
}

export function exportFileName(r: RoundResults): string {
  const slug =
    r.round.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'round';
  return `throughline-${slug}${r.snapshot ? `-v${r.snapshot.version}` : ''}`;
}
