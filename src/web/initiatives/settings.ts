// The admin settings of the portfolio and the readiness gate (issue 11): the portfolio's three
// weights, and the readiness table – the level each ambition and each risk rule requires of the
// five organisation-level capabilities (paper section 3, appendix Tables 1–2). Each save keeps a new
// version (audited by the store) and the history stays readable; only admins change them, leads may
// read the readiness table. Nothing is stored unless the domain's own check passes.
import { readinessTableOf } from '../../services/initiatives.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defaultFramework } from '../../domain/framework/index.ts';
import {
  DEFAULT_PORTFOLIO_WEIGHTS,
  parsePortfolioWeights,
  type PortfolioWeights,
} from '../../domain/initiatives/portfolio.ts';
import { AMBITIONS } from '../../domain/initiatives/types.ts';
import {
  DEFAULT_READINESS_TABLE,
  FACT_DESCRIPTIONS,
  parseReadinessTable,
  type ReadinessTable,
  type ReadinessTableIssue,
} from '../../domain/readiness/index.ts';
import { portfolioWeightsOf } from '../../services/portfolio.ts';
import type { StoredSetting } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { requireRole } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { methodRows, weightPoints } from './portfolio-view.ts';
import {
  applyLevels,
  fieldOfIssue,
  GUARD_WORDS,
  isLaterVersion,
  nextTableVersion,
  NOTE_LIMIT,
  readinessFormSections,
  readinessFormValues,
  requirementWords,
  type LevelChange,
  type TableDocument,
} from './readiness-form.ts';
import { canChangeSettings, crumbs } from './shared.ts';

const WEIGHT_FIELDS = [
  { key: 'bottleneckEffectPerPound', name: 'the effect on the bottleneck per pound' },
  { key: 'readiness', name: 'readiness' },
  { key: 'risksAboveAppetite', name: 'risks above the appetite' },
] as const;

const London = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today in London as yyyy-mm-dd, the date a changed level is said to be decided on. */
function today(): string {
  return London.format(new Date());
}

/** Who saved each version, by user id, from the organisation's members. */
async function namesOf(request: FastifyRequest): Promise<Map<string, string>> {
  const members = await request.scope.members();
  return new Map(members.map((m) => [m.userId, m.name]));
}

function savedBy(names: ReadonlyMap<string, string>, userId: string | null): string {
  if (userId === null) return 'Throughline (set-up)';
  return names.get(userId) ?? 'A former member';
}

// ----- Portfolio weights ------------------------------------------------------------------------

/**
 * The weights form takes points out of 100, the way the portfolio shows the score; the domain holds
 * them as shares of 1. Every field must be a whole number from 0 to 100 and the three must add up
 * to 100, which is the domain's "add up to 1"; `parsePortfolioWeights` checks again before saving.
 */
function readWeights(
  body: Record<string, unknown>,
): { ok: true; weights: PortfolioWeights } | { ok: false; errors: FormErrors } {
  const problems: [string, string][] = [];
  const points: Record<string, number> = {};
  for (const field of WEIGHT_FIELDS) {
    const raw = typeof body[field.key] === 'string' ? (body[field.key] as string).trim() : '';
    if (raw === '') {
      problems.push([field.key, `Enter the weight for ${field.name}, in points from 0 to 100`]);
    } else if (!/^\d{1,3}$/.test(raw)) {
      problems.push([
        field.key,
        `Enter the weight for ${field.name} as a whole number of points from 0 to 100`,
      ]);
    } else if (Number(raw) > 100) {
      problems.push([field.key, `The weight for ${field.name} must be 100 points or fewer`]);
    } else {
      points[field.key] = Number(raw);
    }
  }
  if (problems.length > 0) return { ok: false, errors: formErrors(problems) };
  const sum = WEIGHT_FIELDS.reduce((total, f) => total + (points[f.key] ?? 0), 0);
  if (sum !== 100) {
    return {
      ok: false,
      errors: formErrors([
        [
          'bottleneckEffectPerPound',
          `The three weights must add up to 100 points; they add up to ${sum}`,
        ],
      ]),
    };
  }
  const parsed = parsePortfolioWeights({
    version: 1,
    bottleneckEffectPerPound: (points.bottleneckEffectPerPound ?? 0) / 100,
    readiness: (points.readiness ?? 0) / 100,
    risksAboveAppetite: (points.risksAboveAppetite ?? 0) / 100,
  });
  if (!parsed.ok) {
    return {
      ok: false,
      errors: formErrors(
        parsed.issues.map((i) => [i.path === '' ? 'bottleneckEffectPerPound' : i.path, i.message]),
      ),
    };
  }
  return { ok: true, weights: parsed.weights };
}

function weightValues(weights: PortfolioWeights): Record<string, string> {
  return Object.fromEntries(WEIGHT_FIELDS.map((f) => [f.key, weightPoints(weights[f.key])]));
}

// ----- Readiness table --------------------------------------------------------------------------

/** A stored version of the table, checked again; null when it no longer checks. */
function tableOf(stored: StoredSetting): ReadinessTable | null {
  const parsed = parseReadinessTable(stored.document, defaultFramework);
  return parsed.ok ? parsed.table : null;
}

/** What changed between two tables, level by level, in words. */
function levelChanges(before: ReadinessTable, after: ReadinessTable): string[] {
  const name = (id: string) => defaultFramework.capabilities.find((c) => c.id === id)?.name ?? id;
  const lines: string[] = [];
  for (const ambition of AMBITIONS) {
    for (const [id, requirement] of Object.entries(after.ambitions[ambition].requirements)) {
      const old = before.ambitions[ambition].requirements[id];
      if (old && old.level !== requirement.level) {
        lines.push(
          `${after.ambitions[ambition].name}, ${name(id)}: ${requirementWords(old.level)} → ${requirementWords(requirement.level)}`,
        );
      }
    }
  }
  for (const rule of after.rules) {
    const oldRule = before.rules.find((r) => r.id === rule.id);
    if (!oldRule) {
      lines.push(`New rule “${rule.description}”`);
      continue;
    }
    for (const [id, requirement] of Object.entries(rule.requirements)) {
      const old = oldRule.requirements[id];
      if (!old || old.level !== requirement.level) {
        lines.push(
          `Rule “${rule.description}”, ${name(id)}: ${old ? requirementWords(old.level) : 'not set'} → ${requirementWords(requirement.level)}`,
        );
      }
    }
  }
  for (const rule of before.rules) {
    if (!after.rules.some((r) => r.id === rule.id))
      lines.push(`Rule “${rule.description}” removed`);
  }
  if (lines.length === 0 && JSON.stringify(before) !== JSON.stringify(after)) {
    lines.push('Wording, reasons or sources only');
  }
  return lines;
}

const AMBITION_SHORT = {
  pilot: 'Pilot',
  bespoke: 'Bespoke',
  'system-wide': 'System-wide',
} as const;

/** The readiness table as the page shows it: per ambition, then the risk rules. */
function tableView(table: ReadinessTable) {
  const capabilities = defaultFramework.capabilities.filter((c) => c.scope === 'organisation');
  const name = (id: string) => capabilities.find((c) => c.id === id)?.name ?? id;
  const order = (ids: string[]) =>
    ids.sort(
      (a, b) =>
        capabilities.findIndex((c) => c.id === a) - capabilities.findIndex((c) => c.id === b),
    );
  return {
    title: table.title,
    id: table.id,
    version: table.version,
    source: table.source,
    overview: order(capabilities.map((c) => c.id)).map((id) => ({
      capability: name(id),
      levels: AMBITIONS.map((a) => table.ambitions[a].requirements[id]?.level ?? ''),
    })),
    ambitions: AMBITIONS.map((ambition) => {
      const tier = table.ambitions[ambition];
      return {
        id: ambition,
        name: tier.name,
        short: AMBITION_SHORT[ambition],
        description: tier.description,
        source: tier.source,
        rows: order(Object.keys(tier.requirements)).map((id) => {
          const requirement = tier.requirements[id];
          return {
            capabilityId: id,
            capability: name(id),
            required: requirement ? requirementWords(requirement.level) : '',
            reason: requirement?.reason ?? '',
            source: requirement?.source ?? '',
          };
        }),
      };
    }),
    rules: table.rules.map((rule) => ({
      id: rule.id,
      description: rule.description,
      when: rule.when.map((fact) => FACT_DESCRIPTIONS[fact]),
      guards: GUARD_WORDS[rule.guardsAgainst],
      raises: order(Object.keys(rule.requirements)).map((id) => {
        const requirement = rule.requirements[id];
        return {
          capability: name(id),
          required: requirement ? requirementWords(requirement.level) : '',
          reason: requirement?.reason ?? '',
          source: requirement?.source ?? '',
        };
      }),
    })),
  };
}

/** The table's versions, newest first, each with who saved it, when, and what changed. */
async function readinessHistory(request: FastifyRequest) {
  const [history, names] = await Promise.all([
    request.scope.initiatives.settingHistory('readiness-table'),
    namesOf(request),
  ]);
  const oldestFirst = [...history].reverse();
  const rows = oldestFirst.map((stored, index) => {
    const table = tableOf(stored);
    const before =
      index === 0
        ? DEFAULT_READINESS_TABLE
        : (tableOf(oldestFirst[index - 1] as StoredSetting) ?? null);
    return {
      version: stored.version,
      tableVersion: table?.version ?? 'unreadable',
      by: savedBy(names, stored.createdBy),
      at: stored.createdAt,
      changes:
        table && before ? levelChanges(before, table) : ['This version can no longer be read'],
    };
  });
  return { rows: rows.reverse(), latest: history[0]?.version ?? 0 };
}

type ReadinessEdit = {
  values: Record<string, unknown>;
  errors?: FormErrors;
  json?: string;
  jsonErrors?: FormErrors;
};

const READINESS_TEMPLATE = 'pages/initiatives/settings/readiness.njk';
const READINESS_EDIT_TEMPLATE = 'pages/initiatives/settings/readiness-edit.njk';
const WEIGHTS_TEMPLATE = 'pages/initiatives/settings/portfolio-weights.njk';

const versionQuery = z
  .object({
    version: z
      .string()
      .regex(/^\d{1,9}$/)
      .optional(),
  })
  .loose();

export const settingsRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const admin = { preHandler: requireRole('admin') };
  const lead = { preHandler: requireRole('lead') };

  // ---- portfolio weights ----

  async function showWeights(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) {
    const [inUse, history, names] = await Promise.all([
      portfolioWeightsOf(request.scope),
      request.scope.initiatives.settingHistory('portfolio-weights'),
      namesOf(request),
    ]);
    return reply.page(WEIGHTS_TEMPLATE, {
      title: 'Portfolio weights',
      breadcrumbs: crumbs(
        undefined,
        { text: 'Portfolio', href: '/initiatives/portfolio' },
        { text: 'Weights' },
      ),
      values,
      defaults: weightValues(DEFAULT_PORTFOLIO_WEIGHTS),
      method: methodRows(DEFAULT_PORTFOLIO_WEIGHTS),
      inUse: { ...weightValues(inUse.value), version: inUse.version, problem: inUse.problem },
      history: history.map((stored) => {
        const parsed = parsePortfolioWeights(stored.document);
        return {
          version: stored.version,
          by: savedBy(names, stored.createdBy),
          at: stored.createdAt,
          values: parsed.ok ? weightValues(parsed.weights) : null,
        };
      }),
      ...(errors ? { errors: errors.list, fieldErrors: errors.byField } : {}),
    });
  }

  app.get('/initiatives/settings/portfolio-weights', admin, async (request, reply) => {
    const inUse = await portfolioWeightsOf(request.scope);
    return showWeights(request, reply, weightValues(inUse.value));
  });

  app.post('/initiatives/settings/portfolio-weights', admin, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const read = readWeights(body);
    if (!read.ok) {
      reply.code(400);
      const values = { ...body };
      delete values._csrf;
      return showWeights(request, reply, values, read.errors);
    }
    const version = await request.scope.initiatives.saveSetting('portfolio-weights', read.weights);
    const w = weightValues(read.weights);
    reply.flash(
      `Saved the portfolio weights (version ${version}): the effect on the bottleneck per pound ${w.bottleneckEffectPerPound} points, readiness ${w.readiness}, risks above the appetite ${w.risksAboveAppetite}.`,
    );
    return reply.redirect('/initiatives/portfolio', 303);
  });

  // ---- readiness table ----

  /** The table in use, as every verdict reads it (version 0: the paper's default). */
  async function tableInUse(request: FastifyRequest) {
    const { table, version } = await readinessTableOf(request.scope);
    return { table, version: version ?? 0 };
  }

  app.get('/initiatives/settings/readiness', lead, async (request, reply) => {
    const query = versionQuery.safeParse(request.query);
    if (!query.success) return notFound(reply);
    const [history, inUse] = await Promise.all([readinessHistory(request), tableInUse(request)]);
    let shown: { table: ReadinessTable; version: number } = inUse;
    if (query.data.version !== undefined) {
      const wanted = Number(query.data.version);
      if (wanted === 0) shown = { table: DEFAULT_READINESS_TABLE, version: 0 };
      else {
        const stored = await request.scope.initiatives.setting('readiness-table', wanted);
        const table = stored && stored.version === wanted ? tableOf(stored) : null;
        if (!table) return notFound(reply);
        shown = { table, version: wanted };
      }
    }
    const checked = parseReadinessTable(shown.table, defaultFramework);
    return reply.page(READINESS_TEMPLATE, {
      title:
        shown.version === inUse.version
          ? 'Readiness table'
          : `Readiness table: ${shown.version === 0 ? 'the paper’s default' : `version ${shown.version}`}`,
      breadcrumbs: crumbs(undefined, { text: 'Readiness table' }),
      table: tableView(shown.table),
      shownVersion: shown.version,
      inUseVersion: inUse.version,
      isCurrent: shown.version === inUse.version,
      warnings: checked.warnings.map((w) => w.message),
      history: history.rows,
      defaultVersion: DEFAULT_READINESS_TABLE.version,
      canChangeSettings: canChangeSettings(request),
    });
  });

  app.get('/initiatives/settings/readiness/download', lead, async (request, reply) => {
    const query = versionQuery.safeParse(request.query);
    if (!query.success) return notFound(reply);
    let table: ReadinessTable | null = (await tableInUse(request)).table;
    if (query.data.version !== undefined) {
      const wanted = Number(query.data.version);
      if (wanted === 0) table = DEFAULT_READINESS_TABLE;
      else {
        const stored = await request.scope.initiatives.setting('readiness-table', wanted);
        table = stored && stored.version === wanted ? tableOf(stored) : null;
      }
    }
    if (!table) return notFound(reply);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${table.id}-${table.version}.json"`)
      .send(`${JSON.stringify(table, null, 2)}\n`);
  });

  async function showReadinessEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    edit: ReadinessEdit,
  ) {
    const inUse = await tableInUse(request);
    const errors = [...(edit.errors?.list ?? []), ...(edit.jsonErrors?.list ?? [])];
    return reply.page(READINESS_EDIT_TEMPLATE, {
      title: 'Change the readiness table',
      breadcrumbs: crumbs(
        undefined,
        { text: 'Readiness table', href: '/initiatives/settings/readiness' },
        { text: 'Change' },
      ),
      table: { title: inUse.table.title, version: inUse.table.version },
      base: inUse.version,
      sections: readinessFormSections(inUse.table, edit.values, defaultFramework),
      values: edit.values,
      json: edit.json ?? '',
      noteLimit: NOTE_LIMIT,
      ...(errors.length > 0
        ? {
            errors,
            fieldErrors: { ...(edit.errors?.byField ?? {}), ...(edit.jsonErrors?.byField ?? {}) },
          }
        : {}),
    });
  }

  app.get('/initiatives/settings/readiness/edit', admin, async (request, reply) => {
    const inUse = await tableInUse(request);
    return showReadinessEdit(request, reply, { values: readinessFormValues(inUse.table) });
  });

  /** A stale form (someone saved meanwhile) is refused: the page shows the table as it is now. */
  async function refuseStale(request: FastifyRequest, reply: FastifyReply, field: string) {
    const inUse = await tableInUse(request);
    reply.code(409);
    return showReadinessEdit(request, reply, {
      values: readinessFormValues(inUse.table),
      errors: formErrors([
        [
          field,
          `Someone else saved version ${inUse.version} of the table while you were changing it. This form now shows that version: make your changes again.`,
        ],
      ]),
    });
  }

  /** Saves a checked table as the next version; the flash says what happened. */
  async function saveTable(
    request: FastifyRequest,
    reply: FastifyReply,
    table: ReadinessTable,
    said: string,
    warnings: readonly ReadinessTableIssue[],
  ) {
    const version = await request.scope.initiatives.saveSetting('readiness-table', table);
    reply.flash(
      `Saved version ${version} of the readiness table (table version ${table.version}). ${said}` +
        (warnings.length > 0
          ? ` ${warnings.length === 1 ? 'One thing is' : `${warnings.length} things are`} worth checking: see below.`
          : ''),
    );
    return reply.redirect('/initiatives/settings/readiness', 303);
  }

  /** Every version string already used, so a new one is never used twice. */
  async function takenVersions(request: FastifyRequest): Promise<Set<string>> {
    const history = await request.scope.initiatives.settingHistory('readiness-table');
    const taken = new Set([DEFAULT_READINESS_TABLE.version]);
    for (const stored of history) {
      const version = (stored.document as { version?: unknown } | null)?.version;
      if (typeof version === 'string') taken.add(version);
    }
    return taken;
  }

  app.post('/initiatives/settings/readiness/edit', admin, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ...body };
    delete values._csrf;
    const inUse = await tableInUse(request);
    if (String(body.base ?? '') !== String(inUse.version))
      return refuseStale(request, reply, 'note');
    const edit = applyLevels(inUse.table, body, { framework: defaultFramework, date: today() });
    if (!edit.ok) {
      reply.code(400);
      return showReadinessEdit(request, reply, { values, errors: formErrors(edit.problems) });
    }
    const document: TableDocument = {
      ...edit.document,
      version: nextTableVersion(inUse.table.version, await takenVersions(request)),
    };
    const parsed = parseReadinessTable(document, defaultFramework);
    if (!parsed.ok) {
      reply.code(400);
      const firstField = edit.changes[0]?.field ?? 'note';
      return showReadinessEdit(request, reply, {
        values,
        errors: formErrors(
          parsed.issues.map((issue) => [
            fieldOfIssue(issue.path, document) ?? firstField,
            issue.message,
          ]),
        ),
      });
    }
    return saveTable(request, reply, parsed.table, describeChanges(edit.changes), parsed.warnings);
  });

  app.post('/initiatives/settings/readiness/replace', admin, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const json = typeof body.json === 'string' ? body.json : '';
    const inUse = await tableInUse(request);
    const refuse = (messages: readonly string[]) => {
      reply.code(400);
      return showReadinessEdit(request, reply, {
        values: readinessFormValues(inUse.table),
        json,
        jsonErrors: {
          list: messages.map((text) => ({ text, href: '#json' })),
          byField: {
            json: {
              text:
                messages.length === 1
                  ? (messages[0] ?? '')
                  : `The table has ${messages.length} problems, listed at the top of the page`,
            },
          },
        },
      });
    };
    if (String(body.base ?? '') !== String(inUse.version))
      return refuseStale(request, reply, 'json');
    if (json.trim() === '') return refuse(['Paste the whole readiness table as JSON']);
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (error) {
      return refuse([`The text is not valid JSON: ${(error as Error).message}`]);
    }
    const first = parseReadinessTable(raw, defaultFramework);
    if (!first.ok) return refuse(first.issues.map((i) => i.message));
    const sameAsNow =
      JSON.stringify({ ...first.table, version: '' }) ===
      JSON.stringify({ ...inUse.table, version: '' });
    if (sameAsNow) {
      return refuse([
        `This is the same as the table in use (version ${inUse.table.version}): nothing to save`,
      ]);
    }
    const taken = await takenVersions(request);
    let said = '';
    let table = first.table;
    if (
      !isLaterVersion(first.table.version, inUse.table.version) ||
      taken.has(first.table.version)
    ) {
      const version = nextTableVersion(inUse.table.version, taken);
      said = taken.has(first.table.version)
        ? `Its version, ${first.table.version}, was already used by an earlier table, so it was saved as ${version}.`
        : `Its version, ${first.table.version}, was not later than the one in use (${inUse.table.version}), so it was saved as ${version}.`;
      const again = parseReadinessTable({ ...first.table, version }, defaultFramework);
      if (!again.ok) return refuse(again.issues.map((i) => i.message));
      table = again.table;
    }
    return saveTable(request, reply, table, said, first.warnings);
  });
};

function describeChanges(changes: readonly LevelChange[]): string {
  const lines = changes.map(
    (c) => `${c.where}, ${c.capability}: ${requirementWords(c.from)} → ${requirementWords(c.to)}`,
  );
  return lines.length === 1 ? `Changed ${lines[0]}.` : `Changed ${lines.length} levels.`;
}
