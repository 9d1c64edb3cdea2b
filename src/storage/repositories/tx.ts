// Runs a unit of work in a transaction, joining the caller's transaction if there is one, so a
// change and its audit entry are written together or not at all.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { AuditInput } from './scoped.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export async function inTransaction<T>(
  executor: Executor,
  work: (tx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (executor.isTransaction) return work(executor as Transaction<Database>);
  return executor.transaction().execute(work);
}

/** Writes an audit entry with the given executor, inside the caller's transaction. */
export type AuditWriter = (db: Executor, event: AuditInput) => Promise<void>;

/**
 * What every organisation-scoped store shares: the executor, the organisation every query is
 * filtered by, the person acting (named in audit entries) and the audit writer, and `tx`, which
 * runs a unit of work on a copy of the store bound to one transaction (joining the caller's), so a
 * change and its audit entry are written together or not at all.
 */
export abstract class ScopedStore {
  constructor(
    protected readonly db: Executor,
    readonly organisationId: string,
    protected readonly actorUserId: string | null,
    protected readonly audit: AuditWriter,
  ) {}

  protected tx<T>(work: (store: this) => Promise<T>): Promise<T> {
    const Store = this.constructor as new (
      db: Executor,
      organisationId: string,
      actorUserId: string | null,
      audit: AuditWriter,
    ) => this;
    return inTransaction(this.db, (tx) =>
      work(new Store(tx, this.organisationId, this.actorUserId, this.audit)),
    );
  }
}
