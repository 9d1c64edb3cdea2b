// One organisation's entire data to one archive file and back (issue 16, point 6):
// `throughline org export SLUG FILE` and `throughline org import FILE`. Unlike a backup (the whole
// database, same engine), an archive holds one organisation — its assessments, chains, event logs,
// comment sets and analyses, initiatives, audit log and the people who appear in them — and imports
// into another instance, on either database and across them (SQLite → PostgreSQL and back).
//
// Format: gzip-compressed JSON lines. The first line is a header (format, version, the newest
// migration of the exporting instance, the organisation, rows per table); then one line per row,
// `{"t": table, "r": row}`, tables in an order where every row's references come before it (found
// from the database's own foreign keys, so a table added later is ordered without a change here).
// Binary columns (event logs, uploaded files) are base64 (`{"$base64": "…"}`).
//
// What is carried is decided per table in ARCHIVE_POLICY, a record over every table of the schema:
// a new table does not compile until it is classified, and a table the database has that the policy
// does not name stops an export rather than being silently left out.
//
// Import runs in one transaction: it refuses an archive from a newer version, an organisation that
// already exists (by id or by short name), and a person whose e-mail address belongs to someone else
// here; a person already here with the same id and e-mail is kept as they are. Nothing is written
// unless everything is. The import is recorded in the organisation's audit log.
import {
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrations, type Db } from '../storage/database.ts';
import { OrgScope } from '../storage/index.ts';
import type { Database } from '../storage/schema.ts';

export const ARCHIVE_FORMAT = 'throughline.organisation-archive';
export const ARCHIVE_VERSION = 1;

type TableName = keyof Database & string;
type Row = Record<string, unknown>;

/** How a table's rows belong to one organisation, or why the table is not carried. */
export type ArchivePolicy =
  | { readonly rows: 'organisation' }
  /** Rows whose `column` is the organisation's id. */
  | { readonly rows: 'keyed'; readonly column: string }
  /** The people of the organisation: its members and everyone its rows refer to. */
  | { readonly rows: 'people' }
  /** Shared reference rows the organisation's rows refer to; kept if already present. */
  | { readonly rows: 'referenced' }
  | { readonly rows: 'none'; readonly why: string };

export const ARCHIVE_POLICY: Record<TableName, ArchivePolicy> = {
  organisations: { rows: 'keyed', column: 'id' },
  users: { rows: 'people' },
  memberships: { rows: 'organisation' },
  sessions: {
    rows: 'none',
    why: 'signed-in sessions belong to this instance: people sign in again',
  },
  invitations: { rows: 'organisation' },
  api_tokens: {
    rows: 'none',
    why: 'API tokens are secrets of this instance: admins issue new ones after moving',
  },
  audit_events: { rows: 'organisation' },
  app_settings: { rows: 'none', why: 'settings of the whole instance, not of one organisation' },
  framework_documents: { rows: 'referenced' },
  assessment_rounds: { rows: 'organisation' },
  round_groups: { rows: 'organisation' },
  responses: { rows: 'organisation' },
  answers: { rows: 'organisation' },
  agreed_ratings: { rows: 'organisation' },
  round_snapshots: { rows: 'organisation' },
  capability_targets: { rows: 'organisation' },
  delivery_chains: { rows: 'organisation' },
  chain_scenarios: { rows: 'organisation' },
  comment_sets: { rows: 'organisation' },
  comment_set_files: { rows: 'organisation' },
  comments: { rows: 'organisation' },
  theme_analyses: { rows: 'organisation' },
  themes: { rows: 'organisation' },
  comment_assignments: { rows: 'organisation' },
  theme_edits: { rows: 'organisation' },
  theme_links: { rows: 'organisation' },
  event_log_uploads: { rows: 'organisation' },
  event_logs: { rows: 'organisation' },
  event_log_corrections: { rows: 'organisation' },
  jobs: { rows: 'organisation' },
  initiatives: { rows: 'organisation' },
  readiness_snapshots: { rows: 'organisation' },
  initiative_risks: { rows: 'organisation' },
  initiative_evaluations: { rows: 'organisation' },
  lessons: { rows: 'organisation' },
  initiative_settings: { rows: 'organisation' },
  roadmap_items: { rows: 'organisation' },
  mail_recipients: { rows: 'organisation' },
  mail_reminders: { rows: 'organisation' },
  auth_attempts: { rows: 'none', why: 'sign-in throttling of this instance, kept for minutes' },
  password_resets: {
    rows: 'none',
    why: 'reset links are secrets of this instance, kept for an hour',
  },
  sector_memberships: {
    rows: 'none',
    why: 'a membership joins two organisations: the institution invites the member again',
  },
  sector_consents: {
    rows: 'none',
    why: 'consent is given to one institution within a membership, which is not carried',
  },
  sector_settings: { rows: 'keyed', column: 'institution_id' },
  sector_levels: { rows: 'organisation' },
  sector_level_sources: { rows: 'organisation' },
  sector_chain_measures: { rows: 'organisation' },
  sector_shared_chains: {
    rows: 'none',
    why: 'a shared chain joins member organisations: the chain itself is carried, convene it again',
  },
  sector_shared_chain_stages: {
    rows: 'none',
    why: 'stages owned by member organisations within a shared chain, which is not carried',
  },
  sector_register_entries: { rows: 'organisation' },
  sector_supplier_reports: { rows: 'organisation' },
  sector_incident_rules: { rows: 'keyed', column: 'institution_id' },
  sector_incidents: {
    rows: 'none',
    why: 'incident reports are made to an institution and stay in its sector with it',
  },
  sector_exchange_items: {
    rows: 'none',
    why: "the sector exchange is the institution's, shared by its members: items stay with it",
  },
  sector_exchange_joins: {
    rows: 'none',
    why: 'joins to sector exchange items, which stay with them',
  },
  sso_configs: { rows: 'organisation' },
  sso_secrets: {
    rows: 'none',
    why: 'the single sign-on client secret is encrypted with this instance’s key: an admin enters it again after moving',
  },
  sso_identities: { rows: 'organisation' },
  sso_logins: {
    rows: 'none',
    why: 'sign-ins under way belong to this instance: people sign in again',
  },
};

export interface ArchiveHeader {
  readonly format: typeof ARCHIVE_FORMAT;
  readonly version: number;
  readonly migration: string;
  readonly exportedAt: string;
  readonly organisation: { readonly id: string; readonly name: string; readonly slug: string };
  /** Rows per table, in the order they follow. */
  readonly tables: Record<string, number>;
}

export interface ArchiveSummary {
  readonly organisation: ArchiveHeader['organisation'];
  readonly file: string;
  readonly bytes: number;
  /** Rows per table carried (export) or written (import; people already here not counted). */
  readonly counts: Record<string, number>;
  /** Tables not carried, with why. */
  readonly leftOut: Record<string, string>;
}

/** A problem the person can fix (printed as it is, without a stack trace). */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

interface ForeignKey {
  readonly table: string;
  readonly column: string;
  readonly refTable: string;
  readonly refColumn: string;
}

const MIGRATION_NAMES = Object.keys(migrations).sort();
const LATEST_MIGRATION = MIGRATION_NAMES[MIGRATION_NAMES.length - 1] ?? '';

/**
 * The product's tables in this database: the migration bookkeeping, pg-boss's schema and full-text
 * indexes left out (SQLite FTS5 virtual tables and their shadow tables, which triggers rebuild as
 * rows are inserted).
 */
async function productTables(db: Db): Promise<string[]> {
  const tables = await db.kysely.introspection.getTables();
  let virtual: string[] = [];
  if (db.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and sql like 'CREATE VIRTUAL TABLE%'`.execute(
      db.kysely,
    );
    virtual = rows.map((r) => r.name);
  }
  return tables
    .filter((t) => !t.isView && (t.schema === undefined || t.schema === 'public'))
    .map((t) => t.name)
    .filter((name) => !name.startsWith('kysely_migration'))
    .filter((name) => !virtual.some((v) => name === v || name.startsWith(`${v}_`)))
    .sort();
}

/** Columns the database computes itself (PostgreSQL's generated tsvector columns), by table. */
async function generatedColumns(db: Db): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (db.dialect !== 'postgres') return out;
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as "table", column_name as "column" from information_schema.columns
    where table_schema = 'public' and is_generated = 'ALWAYS'`.execute(db.kysely);
  for (const r of rows) out.set(r.table, (out.get(r.table) ?? new Set()).add(r.column));
  return out;
}

/** A row without the columns the database computes itself. */
function withoutGenerated(rows: Row[], generated: Set<string> | undefined): Row[] {
  if (generated === undefined) return rows;
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([column]) => !generated.has(column))),
  );
}

async function foreignKeys(db: Db, tables: readonly string[]): Promise<ForeignKey[]> {
  if (db.dialect === 'sqlite') {
    const keys: ForeignKey[] = [];
    for (const table of tables) {
      const { rows } = await sql<{ table: string; from: string; to: string }>`
        select "table", "from", "to" from pragma_foreign_key_list(${table})`.execute(db.kysely);
      for (const r of rows)
        keys.push({ table, column: r.from, refTable: r.table, refColumn: r.to ?? 'id' });
    }
    return keys;
  }
  const { rows } = await sql<ForeignKey>`
    select kcu.table_name as "table", kcu.column_name as "column",
           ccu.table_name as "refTable", ccu.column_name as "refColumn"
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    join information_schema.constraint_column_usage ccu
      on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'`.execute(db.kysely);
  return rows;
}

/** Tables ordered so that every table comes after those its foreign keys point to. */
export function referenceOrder(tables: readonly string[], keys: readonly ForeignKey[]): string[] {
  const set = new Set(tables);
  const after = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const k of keys)
    if (k.table !== k.refTable && set.has(k.table) && set.has(k.refTable))
      after.get(k.table)?.add(k.refTable);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string) => {
    if (state.get(t) === 'done') return;
    if (state.get(t) === 'visiting')
      throw new Error(`tables refer to each other in a circle at ${t}`);
    state.set(t, 'visiting');
    for (const ref of [...(after.get(t) ?? [])].sort()) visit(ref);
    state.set(t, 'done');
    order.push(t);
  };
  for (const t of [...tables].sort()) visit(t);
  return order;
}

/** Rows of one table ordered so that a row another row of it refers to comes first. */
function selfOrdered(rows: Row[], keys: readonly ForeignKey[]): Row[] {
  if (keys.length === 0 || rows.length < 2) return rows;
  const refColumn = keys[0]?.refColumn ?? 'id';
  const byKey = new Map(rows.map((r) => [String(r[refColumn]), r]));
  const placed = new Set<Row>();
  const out: Row[] = [];
  const place = (row: Row, depth: number) => {
    if (placed.has(row) || depth > rows.length) return;
    for (const k of keys) {
      const parent = row[k.column];
      if (parent != null) {
        const p = byKey.get(String(parent));
        if (p !== undefined && p !== row) place(p, depth + 1);
      }
    }
    placed.add(row);
    out.push(row);
  };
  for (const row of rows) place(row, 0);
  return out;
}

function encodeRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row))
    out[k] =
      Buffer.isBuffer(v) || v instanceof Uint8Array
        ? { $base64: Buffer.from(v).toString('base64') }
        : v;
  return out;
}

function decodeRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row))
    out[k] =
      v !== null && typeof v === 'object' && '$base64' in v
        ? Buffer.from(String((v as { $base64: unknown }).$base64), 'base64')
        : v;
  return out;
}

type AnyDb = Kysely<Record<string, Row>>;

async function findOrganisation(
  db: Db,
  which: string,
): Promise<{ id: string; name: string; slug: string }> {
  const org = await db.kysely
    .selectFrom('organisations')
    .select(['id', 'name', 'slug'])
    .where((eb) => eb.or([eb('slug', '=', which), eb('id', '=', which)]))
    .executeTakeFirst();
  if (org === undefined)
    throw new ArchiveError(`There is no organisation with the short name or id "${which}".`);
  return org;
}

/** Writes one organisation's data to `file` (gzip-compressed JSON lines). */
export async function exportOrganisation(
  db: Db,
  which: string,
  file: string,
  options: { readonly force?: boolean } = {},
): Promise<ArchiveSummary> {
  if (existsSync(file) && options.force !== true)
    throw new ArchiveError(
      `${file} already exists: choose another name, or add --force to replace it.`,
    );
  const org = await findOrganisation(db, which);
  const tables = await productTables(db);
  const unknown = tables.filter((t) => !(t in ARCHIVE_POLICY));
  if (unknown.length > 0)
    throw new Error(
      `The archive policy does not say how to carry ${unknown.join(', ')}: add them to ARCHIVE_POLICY in src/services/archive.ts.`,
    );
  const keys = await foreignKeys(db, tables);
  const policy = (t: string) => ARCHIVE_POLICY[t as TableName];
  const carried = tables.filter((t) => policy(t).rows !== 'none');
  const order = referenceOrder(carried, keys);

  // Rows of every table but the people and shared references, read in one snapshot.
  const rowsOf = new Map<string, Row[]>();
  await db.kysely.transaction().execute(async (trx) => {
    const t = trx as unknown as AnyDb;
    for (const table of order) {
      const p = policy(table);
      if (p.rows === 'organisation')
        rowsOf.set(
          table,
          await t.selectFrom(table).selectAll().where('organisation_id', '=', org.id).execute(),
        );
      else if (p.rows === 'keyed')
        rowsOf.set(
          table,
          await t.selectFrom(table).selectAll().where(p.column, '=', org.id).execute(),
        );
    }
    // People: members, and everyone the rows above refer to (a round's author who has left).
    const people = new Set<string>();
    for (const row of rowsOf.get('memberships') ?? []) people.add(String(row.user_id));
    // Shared references (framework documents): those the rows above refer to.
    const referenced = new Map<string, Set<string>>();
    for (const k of keys) {
      const rows = rowsOf.get(k.table);
      if (rows === undefined) continue;
      const target = policy(k.refTable).rows;
      if (target !== 'people' && target !== 'referenced') continue;
      for (const row of rows) {
        const v = row[k.column];
        if (v == null) continue;
        if (target === 'people') people.add(String(v));
        else {
          const set = referenced.get(`${k.refTable}.${k.refColumn}`) ?? new Set<string>();
          set.add(String(v));
          referenced.set(`${k.refTable}.${k.refColumn}`, set);
        }
      }
    }
    for (const table of order) {
      const p = policy(table);
      if (p.rows === 'people') {
        const ids = [...people].sort();
        const rows: Row[] = [];
        for (let i = 0; i < ids.length; i += 500)
          rows.push(
            ...(await t
              .selectFrom(table)
              .selectAll()
              .where('id', 'in', ids.slice(i, i + 500))
              .execute()),
          );
        rowsOf.set(table, rows);
      } else if (p.rows === 'referenced') {
        // Rounds name their framework by (framework_id, version): no foreign key says so.
        if (table === 'framework_documents') {
          const pairs = new Set(
            (rowsOf.get('assessment_rounds') ?? []).map(
              (r) => `${String(r.framework_id)}\u0000${String(r.framework_version)}`,
            ),
          );
          const all = await t.selectFrom(table).selectAll().execute();
          rowsOf.set(
            table,
            all.filter((r) => pairs.has(`${String(r.framework_id)}\u0000${String(r.version)}`)),
          );
        } else {
          const rows: Row[] = [];
          for (const [ref, values] of referenced) {
            const [refTable, refColumn] = ref.split('.') as [string, string];
            if (refTable !== table) continue;
            const ids = [...values].sort();
            for (let i = 0; i < ids.length; i += 500)
              rows.push(
                ...(await t
                  .selectFrom(table)
                  .selectAll()
                  .where(refColumn, 'in', ids.slice(i, i + 500))
                  .execute()),
              );
          }
          rowsOf.set(table, rows);
        }
      }
    }
  });

  const generated = await generatedColumns(db);
  for (const [table, rows] of rowsOf)
    rowsOf.set(table, withoutGenerated(rows, generated.get(table)));
  const counts: Record<string, number> = {};
  for (const table of order) counts[table] = rowsOf.get(table)?.length ?? 0;
  const header: ArchiveHeader = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    migration: LATEST_MIGRATION,
    exportedAt: new Date().toISOString(),
    organisation: org,
    tables: counts,
  };
  const temporary = `${file}.${randomUUID()}.partial`;
  function* lines(): Generator<string> {
    yield `${JSON.stringify(header)}\n`;
    for (const table of order) {
      const selfKeys = keys.filter((k) => k.table === table && k.refTable === table);
      for (const row of selfOrdered(rowsOf.get(table) ?? [], selfKeys))
        yield `${JSON.stringify({ t: table, r: encodeRow(row) })}\n`;
    }
  }
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(temporary));
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { organisation: org, file, bytes: statSync(file).size, counts, leftOut: leftOut() };
}

function leftOut(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [table, p] of Object.entries(ARCHIVE_POLICY))
    if (p.rows === 'none') out[table] = p.why;
  return out;
}

/** Reads an archive's header and rows, one table at a time. */
async function* readArchive(
  file: string,
): AsyncGenerator<ArchiveHeader | { table: string; rows: Row[] }> {
  if (!existsSync(file)) throw new ArchiveError(`There is no file ${file}.`);
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header: ArchiveHeader | undefined;
  let table: string | undefined;
  let rows: Row[] = [];
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new ArchiveError(
          `${file} is not a Throughline organisation archive: line ${n} is not JSON.`,
        );
      }
      if (header === undefined) {
        const h = value as Partial<ArchiveHeader>;
        if (h.format !== ARCHIVE_FORMAT)
          throw new ArchiveError(
            `${file} is not a Throughline organisation archive (its first line says what it is).`,
          );
        if (h.version !== ARCHIVE_VERSION)
          throw new ArchiveError(
            `${file} is an archive of format version ${String(h.version)}; this version reads version ${ARCHIVE_VERSION}.`,
          );
        header = h as ArchiveHeader;
        yield header;
        continue;
      }
      const item = value as { t?: unknown; r?: unknown };
      if (typeof item.t !== 'string' || item.r === null || typeof item.r !== 'object')
        throw new ArchiveError(`${file}: line ${n} is not a row of a table.`);
      if (item.t !== table) {
        if (table !== undefined) yield { table, rows };
        table = item.t;
        rows = [];
      }
      rows.push(decodeRow(item.r as Row));
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
      throw new ArchiveError(
        `${file} is not a Throughline organisation archive (not gzip-compressed, or cut short).`,
      );
    throw error;
  }
  if (header === undefined) throw new ArchiveError(`${file} is empty.`);
  if (table !== undefined) yield { table, rows };
}

/** Rows per insert: under both databases' limits on bound values. */
function batchSize(row: Row | undefined): number {
  const columns = Math.max(1, Object.keys(row ?? {}).length);
  return Math.max(1, Math.floor(30_000 / columns));
}

/** Imports an organisation archive into this database, in one transaction. */
export async function importOrganisation(db: Db, file: string): Promise<ArchiveSummary> {
  const reader = readArchive(file);
  const first = await reader.next();
  if (first.done === true || !('format' in first.value))
    throw new ArchiveError(`${file} is empty.`);
  const header = first.value;
  if (!MIGRATION_NAMES.includes(header.migration))
    throw new ArchiveError(
      `${file} was exported by a newer version of Throughline (its schema reaches ${header.migration}): upgrade this one first.`,
    );
  const tables = new Set(await productTables(db));
  const keys = await foreignKeys(db, [...tables]);
  const { organisation } = header;
  const clash = await db.kysely
    .selectFrom('organisations')
    .select(['id', 'slug'])
    .where((eb) => eb.or([eb('id', '=', organisation.id), eb('slug', '=', organisation.slug)]))
    .executeTakeFirst();
  if (clash !== undefined)
    throw new ArchiveError(
      clash.id === organisation.id
        ? `${organisation.name} is already here (the same organisation id): nothing was imported.`
        : `An organisation here already has the short name "${organisation.slug}": nothing was imported.`,
    );
  const counts: Record<string, number> = {};
  await db.kysely.transaction().execute(async (trx) => {
    const t = trx as unknown as AnyDb;
    for (;;) {
      const next = await reader.next();
      if (next.done === true) break;
      if ('format' in next.value) continue;
      const { table } = next.value;
      let { rows } = next.value;
      if (!tables.has(table) || !(table in ARCHIVE_POLICY))
        throw new ArchiveError(
          `${file} holds rows of "${table}", which this version does not have.`,
        );
      const p = ARCHIVE_POLICY[table as TableName];
      if (p.rows === 'none')
        throw new ArchiveError(`${file} holds rows of "${table}", which archives never carry.`);
      if (p.rows === 'people') rows = await newPeople(t, rows);
      else if (p.rows === 'referenced') rows = await newReferences(t, table, rows);
      rows = selfOrdered(
        rows,
        keys.filter((k) => k.table === table && k.refTable === table),
      );
      const size = batchSize(rows[0]);
      for (let i = 0; i < rows.length; i += size)
        await t
          .insertInto(table)
          .values(rows.slice(i, i + size))
          .execute();
      counts[table] = rows.length;
    }
    await new OrgScope(trx, organisation.id, {
      userId: null,
      label: 'Operator (throughline org import)',
    }).audit({
      action: 'organisation.imported',
      entityType: 'organisation',
      entityId: organisation.id,
      details: {
        exportedAt: header.exportedAt,
        rows: Object.values(counts).reduce((a, b) => a + b, 0),
      },
    });
  });
  return { organisation, file, bytes: statSync(file).size, counts, leftOut: leftOut() };
}

/** The archive's people not already here; refuses an e-mail address that is someone else's here. */
async function newPeople(t: AnyDb, rows: Row[]): Promise<Row[]> {
  const fresh: Row[] = [];
  for (const row of rows) {
    const email = String(row.email);
    const here = await t
      .selectFrom('users')
      .select(['id', 'email'])
      .where((eb) => eb.or([eb('id', '=', String(row.id)), eb('email', '=', email)]))
      .execute();
    if (here.length === 0) fresh.push(row);
    else if (here.some((h) => h.id !== row.id || h.email !== email))
      throw new ArchiveError(
        `${email} is already someone else's account here: nothing was imported. Change that account's e-mail address, or import into another instance.`,
      );
  }
  return fresh;
}

/** Shared reference rows not already here (framework documents are the same wherever they are). */
async function newReferences(t: AnyDb, table: string, rows: Row[]): Promise<Row[]> {
  if (table !== 'framework_documents') return rows;
  const fresh: Row[] = [];
  for (const row of rows) {
    const here = await t
      .selectFrom(table)
      .select('framework_id')
      .where('framework_id', '=', String(row.framework_id))
      .where('version', '=', String(row.version))
      .executeTakeFirst();
    if (here === undefined) fresh.push(row);
  }
  return fresh;
}
