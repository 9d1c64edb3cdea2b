// Sector benchmarks at scale (issue 15, point 2): an institution with 10,000 member organisations,
// each sharing the levels of its latest finalised round for the five organisation-level
// capabilities in four peer groups, and 2,000 of them sharing the measures of a planning chain.
// Times `sectorBenchmarks` — consent joins, counts per level and peer group, window-function ranks
// for the chain quartiles, and the disclosure rules — as the institution and as one member, on
// SQLite and, when BENCH_POSTGRES_URL or TEST_POSTGRES_URL names a server, on PostgreSQL.
// Target: under 1 s per benchmark. Reports; never fails on a missed target.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { capabilitiesByScope, defaultFramework } from '../../src/domain/framework/index.ts';
import { newId } from '../../src/lib/ids.ts';
import { FrameworkRegistry } from '../../src/services/frameworks.ts';
import { sectorBenchmarks } from '../../src/services/sector.ts';
import type { DatabaseConfig } from '../../src/config.ts';
import {
  createStorage,
  migrateToLatest,
  openDatabase,
  type Storage,
} from '../../src/storage/index.ts';

const MEMBERS = 10_000;
const CHAINS = 2_000;
const RUNS = 5;
const TARGET_MS = 1000;
const GROUPS = [
  'Metropolitan boroughs',
  'District councils',
  'Unitary authorities',
  'County councils',
];

async function insertInBatches<T>(
  rows: readonly T[],
  size: number,
  write: (batch: T[]) => Promise<unknown>,
) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

export async function populate(
  storage: Storage,
): Promise<{ institutionId: string; memberId: string }> {
  const db = storage.db.kysely;
  const now = new Date().toISOString();
  const institution = await storage.platform.createOrganisation({
    name: 'Bench Institution',
    slug: 'bench-institution',
    kind: 'strategic_institution',
    sector: 'Local government',
  });
  const capabilities = capabilitiesByScope(defaultFramework, 'organisation');
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: newId(), i }));
  await insertInBatches(members, 500, (batch) =>
    db
      .insertInto('organisations')
      .values(
        batch.map((m) => ({
          id: m.id,
          name: `Member ${m.i}`,
          slug: `member-${m.i}`,
          kind: 'public_body' as const,
          sector: 'Local government',
          created_at: now,
        })),
      )
      .execute(),
  );
  const memberships = members.map((m) => ({ ...m, membershipId: newId() }));
  await insertInBatches(memberships, 500, (batch) =>
    db
      .insertInto('sector_memberships')
      .values(
        batch.map((m) => ({
          id: m.membershipId,
          institution_id: institution.id,
          member_id: m.id,
          status: 'active' as const,
          peer_group: GROUPS[m.i % GROUPS.length] ?? '',
          invited_by: null,
          invited_at: now,
          responded_at: now,
          ended_at: null,
          ended_by_side: null,
        })),
      )
      .execute(),
  );
  const consents = memberships.flatMap((m) => [
    { m, kind: 'results' as const },
    ...(m.i < CHAINS ? [{ m, kind: 'chain_measures' as const }] : []),
  ]);
  await insertInBatches(consents, 500, (batch) =>
    db
      .insertInto('sector_consents')
      .values(
        batch.map(({ m, kind }) => ({
          id: newId(),
          membership_id: m.membershipId,
          institution_id: institution.id,
          member_id: m.id,
          data_kind: kind,
          shared_by: null,
          shared_at: now,
          withdrawn_by: null,
          withdrawn_at: null,
        })),
      )
      .execute(),
  );
  const levels = members.flatMap((m) =>
    capabilities.map((c, j) => ({
      organisation_id: m.id,
      capability_id: c.id,
      level: 1 + ((m.i * 7 + j * 3) % 5),
      round_id: newId(),
      finalised_at: now,
    })),
  );
  await insertInBatches(levels, 1000, (batch) =>
    db.insertInto('sector_levels').values(batch).execute(),
  );
  // Derived from "no finalised version" ('none'): current, so nothing is refreshed while timing.
  await insertInBatches(members, 1000, (batch) =>
    db
      .insertInto('sector_level_sources')
      .values(batch.map((m) => ({ organisation_id: m.id, stamp: 'none', refreshed_at: now })))
      .execute(),
  );
  const chained = members.slice(0, CHAINS);
  await insertInBatches(chained, 500, async (batch) => {
    const chains = batch.map((m) => ({ m, chainId: newId() }));
    await db
      .insertInto('delivery_chains')
      .values(
        chains.map(({ m, chainId }) => ({
          id: chainId,
          organisation_id: m.id,
          name: 'Planning',
          description: '',
          model: '{}',
          schema_version: 1,
          revision: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await db
      .insertInto('sector_chain_measures')
      .values(
        chains.map(({ m, chainId }) => ({
          chain_id: chainId,
          organisation_id: m.id,
          service_type: 'planning-applications',
          chain_revision: 1,
          cost_per_output: 900 + ((m.i * 37) % 900),
          lead_time_hours: 20 + ((m.i * 13) % 40),
          outputs_per_staff_hour: 0.02 + ((m.i * 11) % 20) / 1000,
          outcomes_per_output: 0.85 + ((m.i * 17) % 10) / 100,
          set_by: null,
          updated_at: now,
        })),
      )
      .execute();
  });
  return { institutionId: institution.id, memberId: members[0]?.id ?? '' };
}

async function timeOne(label: string, config: DatabaseConfig): Promise<void> {
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const storage = createStorage(db);
    const started = performance.now();
    const { institutionId, memberId } = await populate(storage);
    console.log(
      `${label}: ${MEMBERS.toLocaleString('en-GB')} members written in ${Math.round(performance.now() - started)} ms`,
    );
    const frameworks = new FrameworkRegistry(defaultFramework);
    const system = { userId: null, label: 'bench' };
    for (const [who, viewer] of [
      ['institution', undefined],
      ['member', storage.scope(memberId, system)],
    ] as const) {
      const times: number[] = [];
      let shown = 0;
      for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        const b = await sectorBenchmarks({
          storage,
          frameworks,
          framework: defaultFramework,
          institutionId,
          group: 'District councils',
          ...(viewer ? { viewer } : {}),
        });
        times.push(performance.now() - t0);
        shown = b.capabilities.filter((c) => c.all.shown).length;
        if (
          b.capabilities[0]?.all.shown !== true ||
          b.services[0]?.measures[0]?.figure.shown !== true
        )
          throw new Error('benchmark figures missing');
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(RUNS / 2)] ?? 0;
      console.log(
        `${label}, as the ${who}: median ${Math.round(median)} ms of ${RUNS} runs (fastest ${Math.round(times[0] ?? 0)}, slowest ${Math.round(times.at(-1) ?? 0)}); ${shown} capability figures shown; target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'met' : 'MISSED'}`,
      );
    }
  } finally {
    await db.close();
  }
}

export const suite = {
  name: 'sector',
  async run(): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-sector-'));
    try {
      await timeOne('SQLite', { kind: 'sqlite', file: path.join(dir, 'bench.sqlite') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const adminUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
    if (!adminUrl) {
      console.log('PostgreSQL: skipped (set BENCH_POSTGRES_URL or TEST_POSTGRES_URL to a server)');
      return;
    }
    const name = `throughline_bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      await timeOne('PostgreSQL', { kind: 'postgres', url: url.toString() });
    } finally {
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`drop database if exists ${name}`);
      await drop.end();
    }
  },
};
