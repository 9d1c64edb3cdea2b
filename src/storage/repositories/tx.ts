// Runs a unit of work in a transaction, joining the caller's transaction if there is one, so a
// change and its audit entry are written together or not at all.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export async function inTransaction<T>(
  executor: Executor,
  work: (tx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (executor.isTransaction) return work(executor as Transaction<Database>);
  return executor.transaction().execute(work);
}
