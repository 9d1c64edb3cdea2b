// The storage layer's front door: open the database, migrate it, and hand out repositories.
import type { Db } from './database.ts';
import { PlatformRepository } from './repositories/platform.ts';
import { OrgScope, type Actor } from './repositories/scoped.ts';
import type { Executor } from './repositories/tx.ts';

export {
  openDatabase,
  migrateToLatest,
  pendingMigrations,
  type Db,
  type Dialect,
} from './database.ts';
export type { Role, OrganisationKind } from './schema.ts';
export type { AuditAction } from './audit.ts';
export type * from './repositories/platform.ts';
export type * from './repositories/scoped.ts';
export type * from './repositories/assessments.ts';
export type * from './repositories/chains.ts';
export type * from './repositories/themes.ts';
export type * from './repositories/logs.ts';
export type * from './repositories/jobs.ts';
export type * from './repositories/initiatives.ts';
export type * from './repositories/roadmapItems.ts';
export type * from './repositories/mail.ts';
export type * from './repositories/sector.ts';
export type * from './repositories/tokens.ts';
export type * from './repositories/sectorIncidents.ts';
export type * from './repositories/sectorExchange.ts';
export { CHAIN_MEASURE_COLUMNS, publishedRegister } from './repositories/sector.ts';
export { organisationsWithMailAddresses } from './repositories/mail.ts';
export { DEFAULT_MAX_ATTEMPTS, JobRecords } from './repositories/jobs.ts';
export { encodeEventLog, decodeEventLog } from './repositories/logs-codec.ts';
export { OrgScope, PlatformRepository };
export { SsoDirectory } from './repositories/sso.ts';
export type { SsoConfig, SsoSettingsInput } from './repositories/sso.ts';

export interface Repositories {
  readonly platform: PlatformRepository;
  /** The only way to reach an organisation's data: everything it returns is filtered by that organisation. */
  scope(organisationId: string, actor: Actor): OrgScope;
}

export interface Storage extends Repositories {
  readonly db: Db;
  /** One unit of work across repositories: all of it is written, or none of it. */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

function repositoriesOver(executor: Executor): Repositories {
  return {
    platform: new PlatformRepository(executor),
    scope: (organisationId, actor) => new OrgScope(executor, organisationId, actor),
  };
}

export function createStorage(db: Db): Storage {
  return {
    db,
    ...repositoriesOver(db.kysely),
    transaction: (work) => db.kysely.transaction().execute((tx) => work(repositoriesOver(tx))),
  };
}
