// Fixtures for the tests generated from the route table (isolation-matrix.test.ts, fuzz.test.ts):
// the seeded demo (a council and a sector institution with objects of every kind) beside a second
// organisation with a person in every role and an API token, a table from each route parameter to
// one of the demo's real ids, and a digest of the database to prove that nothing changed.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { CHAINS_SIMULATE } from '../../src/jobs/chain-simulate.ts';
import { hashPassword } from '../../src/services/secrets.ts';
import { demoChains } from '../../src/domain/chain/index.ts';
import type { Role } from '../../src/storage/index.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import { generatedLog, queueImport } from './imports.ts';
import { ORG_CAPABILITIES } from './rounds.ts';
import { initiativeFields } from './initiatives.ts';
import { apiTokenFor, Client, DEMO_PASSWORD, scopeOf, type TestApp } from './app.ts';

export const ROLES = ['viewer', 'member', 'lead', 'admin'] as const satisfies readonly Role[];

export const OTHER_ORGANISATION = {
  name: 'Isolation Test District Council',
  slug: 'isolation-test-district',
  kind: 'public_body',
  sector: 'Local government',
} as const;

export interface ParamValue {
  readonly value: string;
  /** The organisation whose object it is. */
  readonly ownerId: string;
}

export interface IsolationFixture {
  /** The second organisation: not in any sector, sharing nothing with the demo. */
  readonly otherOrganisationId: string;
  /** Signed-in clients of the second organisation, one per role, and one signed out. */
  readonly clients: Readonly<Record<(typeof ROLES)[number], Client>>;
  readonly signedOut: Client;
  /** A token of the second organisation's admin that may read and change every area. */
  readonly token: string;
  /** A signed-in admin of an organisation of the demo, to check that its ids are real. */
  owner(organisationId: string): Promise<Client>;
  /** An API token of that admin. */
  ownerToken(organisationId: string): Promise<string>;
  /** The demo's organisation ids. */
  readonly councilId: string;
  readonly institutionId: string;
  /**
   * A real id of the demo for each route parameter, keyed by the route's path up to and including
   * the parameter (`/chains/:id`, `/chains/:id/stages/:part`): the same name means different
   * objects under different paths.
   */
  readonly params: ReadonlyMap<string, ParamValue>;
  /** The second organisation's own ids of a few kinds, to put in bodies sent as the demo. */
  readonly otherIds: readonly string[];
  /** Names and titles of the demo's objects that no page of another organisation may show. */
  readonly markers: readonly string[];
}

/** The key of each parameter of a route: its path up to and including the parameter. */
export function paramKeys(url: string): { readonly name: string; readonly key: string }[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
    name: m[1] ?? '',
    key: url.slice(0, (m.index ?? 0) + m[0].length),
  }));
}

/** The route's url with each parameter replaced by `value(key)`. */
export function fillRoute(url: string, value: (key: string, name: string) => string): string {
  return url.replace(/:([A-Za-z]+)/g, (match: string, name: string, offset: number) =>
    encodeURIComponent(value(url.slice(0, offset + match.length), name)),
  );
}

async function firstId(
  t: TestApp,
  table: string,
  where: Record<string, string>,
  column = 'id',
): Promise<string> {
  let query = t.storage.db.kysely
    .selectFrom(table as 'organisations')
    .select(sql<string>`${sql.ref(column)}`.as('value'));
  for (const [k, v] of Object.entries(where)) query = query.where(sql.ref(k), '=', v);
  const row = await query.orderBy(sql.ref(column)).executeTakeFirst();
  if (!row) throw new Error(`The fixture has no ${table} row for ${JSON.stringify(where)}`);
  return String(row.value);
}

/**
 * Builds the second organisation beside the seeded demo, gives the demo the few objects its seed
 * lacks (an invitation, an API token, a pending upload, a theme link, a lesson), and reads one real
 * id of the demo for every route parameter.
 */
export async function buildIsolationFixture(t: TestApp): Promise<IsolationFixture> {
  const { platform } = t.storage;
  const db = t.storage.db.kysely;
  const council = await scopeOf(t, 'demo-borough-council');
  const institution = await scopeOf(t, 'demo-improvement-agency');
  const councilId = council.organisationId;
  const institutionId = institution.organisationId;

  // The second organisation, a person in every role, and its own objects.
  const other = await platform.createOrganisation(OTHER_ORGANISATION);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const clients = {} as Record<(typeof ROLES)[number], Client>;
  let adminUserId: string | null = null;
  for (const role of ROLES) {
    const email = `${role}@isolation-test.example`;
    const userId = await platform.createUser({ email, name: `Isolation ${role}`, passwordHash });
    await t.storage
      .scope(other.id, { userId: null, label: 'test' })
      .addMember(userId, role, 'test');
    if (role === 'admin') adminUserId = userId;
  }
  const otherScope = t.storage.scope(other.id, { userId: adminUserId, label: 'test' });
  const otherChain = await otherScope.chains.create(
    { ...demoChains.planningPermit, name: 'Isolation own chain' },
    'created',
  );
  const otherInitiative = await otherScope.initiatives.create(
    initiativeFields({ title: 'Isolation own initiative' }),
  );
  for (const role of ROLES) {
    const client = new Client(t.app);
    const signedIn = await client.signIn(`${role}@isolation-test.example`);
    if (signedIn.statusCode !== 303) throw new Error(`${role} could not sign in`);
    clients[role] = client;
  }
  const token = await apiTokenFor(t, 'admin@isolation-test.example', 'Isolation matrix');

  // The demo's objects that its seed does not make.
  const adminOf = async (organisationId: string) =>
    (
      await db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select('users.email')
        .where('memberships.organisation_id', '=', organisationId)
        .where('memberships.role', '=', 'admin')
        .orderBy('users.email')
        .executeTakeFirstOrThrow()
    ).email;
  const ownerClients = new Map<string, Client>();
  const ownerTokens = new Map<string, string>();
  const owner = async (organisationId: string) => {
    const known = ownerClients.get(organisationId);
    if (known) return known;
    const client = new Client(t.app);
    await client.signIn(await adminOf(organisationId));
    ownerClients.set(organisationId, client);
    return client;
  };
  const ownerToken = async (organisationId: string) => {
    const known = ownerTokens.get(organisationId);
    if (known) return known;
    const created = await apiTokenFor(t, await adminOf(organisationId), 'Owner check');
    ownerTokens.set(organisationId, created);
    return created;
  };
  const councilAdmin = await owner(councilId);
  await ownerToken(councilId);
  const invited = await councilAdmin.submit(
    '/organisation/invitations/new',
    '/organisation/invitations',
    { email: 'newcomer@demo-council.example', name: 'Nia Newcomer', role: 'member' },
  );
  if (invited.statusCode >= 400) throw new Error(`invitation refused: ${invited.statusCode}`);
  const lead = await firstId(t, 'users', { email: 'lead@demo-council.example' });
  const councilAsLead = t.storage.scope(councilId, { userId: lead, label: 'test' });
  // An import job (run to its end), then an upload still waiting for its columns.
  await queueImport(councilAsLead, generatedLog(40), 'Isolation import', 1);
  await t.jobs.idle();
  await councilAsLead.logs.createUpload({
    fileName: 'isolation.csv',
    format: 'csv',
    sizeBytes: 10,
    content: gzipSync('case,activity,timestamp\nC1,Receive,2024-01-01T09:00:00Z\n'),
    columns: ['case', 'activity', 'timestamp'],
    sample: [],
  });
  const analysisId = await firstId(t, 'theme_analyses', {
    organisation_id: councilId,
    status: 'done',
  });
  const themeKey = await firstId(t, 'themes', { analysis_id: analysisId }, 'theme_key');
  // The planning-permit chain: it has inputs, outputs, interventions and a saved scenario.
  const chainId = await firstId(t, 'chain_scenarios', { organisation_id: councilId }, 'chain_id');
  const chainRow = await db
    .selectFrom('delivery_chains')
    .select('model')
    .where('id', '=', chainId)
    .executeTakeFirstOrThrow();
  const model = JSON.parse(chainRow.model) as Record<string, { id: string }[] | undefined>;
  // A simulation asked for through the API, run to its end.
  const revision = await db
    .selectFrom('delivery_chains')
    .select('revision')
    .where('id', '=', chainId)
    .executeTakeFirstOrThrow();
  const simulationId = await t.jobs.enqueue(councilAsLead, CHAINS_SIMULATE, {
    chainId,
    revision: Number(revision.revision),
    settings: { seed: 1, replications: 2, weeks: 8 },
    interventions: [],
  });
  await t.jobs.idle();
  const part = (list: string): string => {
    const id = model[list]?.[0]?.id;
    if (!id) throw new Error(`The demo chain has no ${list}`);
    return id;
  };
  if ((await db.selectFrom('theme_links').select('id').executeTakeFirst()) === undefined)
    await council.themes.addLink(analysisId, themeKey, {
      kind: 'capability',
      capabilityId: ORG_CAPABILITIES[0],
      note: 'isolation fixture',
    });
  // An initiative with risks (the seed's others have none).
  const initiativeId = await firstId(
    t,
    'initiative_risks',
    { organisation_id: councilId },
    'initiative_id',
  );
  const evaluationId = await firstId(t, 'initiative_evaluations', { organisation_id: councilId });
  // The demo invites the council into the sector; it accepts, and shares its evaluations.
  const councilMembership = await firstId(t, 'sector_memberships', { member_id: councilId });
  await councilAsLead.sector.respond(councilMembership, 'accept');
  await councilAsLead.sector.setSharing(councilMembership, 'evaluations', true);
  const report = await councilAsLead.sectorRegister.addSupplierReport({
    evaluationId,
    supplier: 'Isolation Supplier Ltd',
    supplierKey: 'isolation-supplier',
    delivered: true,
    onTime: true,
    benefits: 'realised',
    lockIn: false,
  });
  if (typeof report !== 'string') throw new Error(report.refused);

  const capability = ORG_CAPABILITIES[0] ?? '';
  const roundId = await firstId(t, 'assessment_rounds', {
    organisation_id: councilId,
    status: 'finalised',
  });
  const indicator = defaultFramework.capabilities.find((c) => c.id === capability)?.levels[0]
    ?.indicators[0]?.id;
  await councilAsLead.roadmapItems.create({
    roundId,
    capabilityId: capability,
    indicatorId: indicator ?? '',
    actionText: 'Isolation roadmap action',
  });
  const sharedChainId = await firstId(t, 'sector_shared_chains', { institution_id: institutionId });
  const incident = await db
    .selectFrom('sector_incidents')
    .select(['id', 'organisation_id'])
    .where('institution_id', '=', institutionId)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const sharedStage = await db
    .selectFrom('sector_shared_chain_stages')
    .select(['stage_id', 'owner_id'])
    .where('shared_chain_id', '=', sharedChainId)
    .orderBy('stage_id')
    .executeTakeFirstOrThrow();
  const entries: [string, string, string][] = [
    ['/api/assessments/rounds/:id', roundId, councilId],
    ['/assessments/:id', roundId, councilId],
    ['/assessments/:id/moderate/:capabilityId', capability, councilId],
    ['/assessments/:id/respond/:capabilityId', capability, councilId],
    [
      '/assessments/:id/respondents/:responseId',
      await firstId(t, 'responses', { round_id: roundId }),
      councilId,
    ],
    [
      '/assessments/actions/:itemId',
      await firstId(t, 'roadmap_items', { organisation_id: councilId }),
      councilId,
    ],
    ['/api/chains/:id', chainId, councilId],
    ['/chains/:id', chainId, councilId],
    ['/chains/:id/inputs/:part', part('inputs'), councilId],
    ['/chains/:id/outputs/:part', part('outputs'), councilId],
    ['/chains/:id/stages/:part', part('stages'), councilId],
    ['/chains/:id/interventions/:iid', part('interventions'), councilId],
    ['/api/chains/:id/interventions/:iid', part('interventions'), councilId],
    ['/api/simulations/:id', simulationId, councilId],
    ['/chains/:id/interventions/:iid/changes/:index', '0', councilId],
    ['/chains/:id/interventions/:iid/changes/new/:kind', 'addServers', councilId],
    ['/chains/:id/interventions/new/:kind', 'addServers', councilId],
    [
      '/chains/:id/scenarios/:sid',
      await firstId(t, 'chain_scenarios', { chain_id: chainId }),
      councilId,
    ],
    ['/api/initiatives/:id', initiativeId, councilId],
    ['/initiatives/:id', initiativeId, councilId],
    [
      '/initiatives/:id/risks/:riskId',
      await firstId(t, 'initiative_risks', { initiative_id: initiativeId }),
      councilId,
    ],
    ['/lessons/:id', await firstId(t, 'lessons', { organisation_id: councilId }), councilId],
    ['/logs/:id', await firstId(t, 'event_logs', { organisation_id: councilId }), councilId],
    [
      '/api/event-logs/:id',
      await firstId(t, 'event_logs', { organisation_id: councilId }),
      councilId,
    ],
    [
      '/api/event-logs/imports/:id',
      await firstId(t, 'jobs', { organisation_id: councilId, kind: 'eventlog.import' }),
      councilId,
    ],
    [
      '/logs/jobs/:id',
      await firstId(t, 'jobs', { organisation_id: councilId, kind: 'eventlog.import' }),
      councilId,
    ],
    [
      '/logs/uploads/:id',
      await firstId(t, 'event_log_uploads', { organisation_id: councilId }),
      councilId,
    ],
    [
      '/organisation/api-tokens/:id',
      await firstId(t, 'api_tokens', { organisation_id: councilId }),
      councilId,
    ],
    [
      '/organisation/invitations/:id',
      await firstId(t, 'invitations', { organisation_id: councilId }),
      councilId,
    ],
    [
      '/organisation/members/:id',
      await firstId(t, 'memberships', { organisation_id: councilId, role: 'member' }),
      councilId,
    ],
    [
      '/api/organisation/members/:id',
      await firstId(t, 'memberships', { organisation_id: councilId, role: 'member' }),
      councilId,
    ],
    ['/api/sector/chains/:id', sharedChainId, institutionId],
    ['/sector/chains/:id', sharedChainId, institutionId],
    ['/sector/chains/:id/stages/:stageId', sharedStage.stage_id, sharedStage.owner_id],
    [
      '/api/sector/exchange/:id',
      await firstId(t, 'sector_exchange_items', { institution_id: institutionId }),
      institutionId,
    ],
    [
      '/sector/exchange/:id',
      await firstId(t, 'sector_exchange_items', { institution_id: institutionId }),
      institutionId,
    ],
    ['/sector/incidents/:id', incident.id, incident.organisation_id],
    [
      '/sector/members/:id',
      await firstId(t, 'sector_memberships', { institution_id: institutionId }),
      institutionId,
    ],
    ['/sector/memberships/:id', councilMembership, councilId],
    [
      '/sector/suppliers/reports/:id',
      await firstId(t, 'sector_supplier_reports', { organisation_id: councilId }),
      councilId,
    ],
    ['/themes/analyses/:analysisId', analysisId, councilId],
    [
      '/themes/analyses/:analysisId/comments/:commentId',
      await firstId(t, 'comment_assignments', { analysis_id: analysisId }, 'comment_id'),
      councilId,
    ],
    [
      '/themes/analyses/:analysisId/links/:linkId',
      await firstId(t, 'theme_links', { analysis_id: analysisId }),
      councilId,
    ],
    ['/themes/analyses/:analysisId/themes/:key', themeKey, councilId],
    [
      '/themes/sets/:setId',
      await firstId(t, 'comment_sets', { organisation_id: councilId }),
      councilId,
    ],
    [
      '/api/comment-sets/:id',
      await firstId(t, 'theme_analyses', { id: analysisId }, 'set_id'),
      councilId,
    ],
    ['/api/comment-sets/:id/analyses/:analysisId', analysisId, councilId],
  ];
  const params = new Map<string, ParamValue>(
    entries.map(([key, value, ownerId]) => [key, { value, ownerId }]),
  );

  // What no page of the second organisation may show: the demo's names and titles (those of at
  // least eight characters that the second organisation does not use itself).
  const texts = async (table: string, column: string, orgColumn = 'organisation_id') =>
    (
      await db
        .selectFrom(table as 'organisations')
        .select(sql<string>`${sql.ref(column)}`.as('value'))
        .where(sql.ref(orgColumn), 'in', [councilId, institutionId])
        .execute()
    ).map((r) => String(r.value));
  // The example chains are offered to everyone as starting points; they name nobody's data.
  const own = new Set([
    ...Object.values(demoChains).map((c) => c.name),
    ...(
      await db
        .selectFrom('delivery_chains')
        .select('name')
        .where('organisation_id', '=', other.id)
        .execute()
    ).map((r) => r.name),
    ...(
      await db
        .selectFrom('initiatives')
        .select('title')
        .where('organisation_id', '=', other.id)
        .execute()
    ).map((r) => r.title),
  ]);
  const markers = [
    'Demo Borough Council',
    'admin@demo-council.example',
    'planner@demo-council.example',
    'Nia Newcomer',
    ...(await texts('delivery_chains', 'name')),
    ...(await texts('assessment_rounds', 'title')),
    ...(await texts('initiatives', 'title')),
    ...(await texts('event_logs', 'name')),
    ...(await texts('comment_sets', 'name')),
    ...(await texts('lessons', 'title')),
    ...(await texts('sector_incidents', 'title')),
    ...(await texts('sector_exchange_items', 'title')),
  ].filter((m, i, all) => m.length >= 8 && !own.has(m) && all.indexOf(m) === i);

  return {
    otherOrganisationId: other.id,
    clients,
    signedOut: new Client(t.app),
    token,
    owner,
    ownerToken,
    councilId,
    institutionId,
    params,
    otherIds: [other.id, otherChain, otherInitiative],
    markers,
  };
}

/** Tables whose rows change when nothing shared changes: sessions, refusals, throttles, jobs' polls. */
export const VOLATILE_TABLES: ReadonlySet<string> = new Set([
  'sessions',
  'audit_events',
  'auth_attempts',
  'sso_logins',
  'kysely_migration',
  'kysely_migration_lock',
]);

/** Columns that record use rather than content (a token's last use, a person's last sign-in). */
const VOLATILE_COLUMNS: ReadonlySet<string> = new Set(['last_used_at', 'last_signed_in_at']);

/** The tables, read once per app (the schema does not change while a test runs). */
const tablesOf = new WeakMap<
  TestApp,
  Awaited<ReturnType<Kysely<unknown>['introspection']['getTables']>>
>();

/**
 * A digest of every table's rows but the volatile ones, per table, with the rows of the `except`
 * organisation left out (its own people may change their own data). Values are normalised so the
 * digest reads the same on SQLite and PostgreSQL.
 */
export async function databaseDigest(
  t: TestApp,
  except?: string,
  /** Tables to leave out as well (large ones whose parents' rows change with them). */
  skip: ReadonlySet<string> = new Set(),
): Promise<Record<string, string>> {
  const tables = tablesOf.get(t) ?? (await t.storage.db.kysely.introspection.getTables());
  tablesOf.set(t, tables);
  const digest: Record<string, string> = {};
  for (const table of tables) {
    if (VOLATILE_TABLES.has(table.name) || skip.has(table.name) || table.name.startsWith('pgboss'))
      continue;
    const columns = table.columns.map((c) => c.name).filter((c) => !VOLATILE_COLUMNS.has(c));
    const rows = await t.storage.db.kysely
      .selectFrom(table.name as 'organisations')
      .select(columns.map((c) => sql.ref(c).as(c)))
      .execute();
    const lines = (rows as Record<string, unknown>[])
      .filter((row) =>
        except === undefined
          ? true
          : !['organisation_id', 'member_id', 'id'].some((c) => row[c] === except),
      )
      .map((row) =>
        columns
          .map((c) => {
            const v = row[c];
            if (v === null || v === undefined) return '∅';
            if (v instanceof Date) return v.toISOString();
            if (Buffer.isBuffer(v) || v instanceof Uint8Array)
              return createHash('sha256').update(v).digest('hex');
            return String(v);
          })
          .join('\u0001'),
      )
      .sort();
    digest[table.name] = createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return digest;
}

/** The tables whose digests differ. */
export function changedTables(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  return Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
}
