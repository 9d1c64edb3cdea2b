// Delivery chains and their scenarios for one organisation. Reached only through OrgScope.chains,
// so every query is filtered by the organisation. A chain is stored as the engine's JSON document
// and is checked by parseChain before every write, so the database never holds a chain the engine
// would refuse; every change writes an audit entry in the same transaction.
import { CHAIN_SCHEMA_VERSION, parseChain } from '../../domain/chain/index.ts';
import type { DeliveryChain } from '../../domain/chain/index.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import type { AuditAction } from '../audit.ts';
import type { DeliveryChainsTable } from '../schema.ts';
import { recordConvenedChainChange, recordConvenedChainRemoved } from './sector.ts';
import { ScopedStore } from './tx.ts';

export interface ChainSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly revision: number;
  readonly stageCount: number;
  readonly interventionCount: number;
  readonly organisations: readonly string[];
  readonly updatedAt: string;
}

export interface StoredChain {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly revision: number;
  readonly schemaVersion: number;
  readonly model: DeliveryChain;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredScenario {
  readonly id: string;
  readonly chainId: string;
  readonly name: string;
  readonly interventions: readonly string[];
  readonly createdAt: string;
}

/** What a change was, for the audit log: `chain.updated`, `chain.intervention_added`, … */
export interface ChainChange {
  readonly action: Extract<AuditAction, `chain.${string}`>;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class InvalidChainError extends Error {
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(issues.map((i) => i.message).join('\n'));
    this.name = 'InvalidChainError';
  }
}

/** Re-checks a chain before it is written: the stored model is always one the engine accepts. */
function checked(model: DeliveryChain): DeliveryChain {
  const result = parseChain(JSON.parse(JSON.stringify(model)));
  if (!result.ok) throw new InvalidChainError(result.issues);
  return result.chain;
}

function toStored(row: DeliveryChainsTable): StoredChain {
  const parsed = parseChain(JSON.parse(row.model));
  // Rows are checked on the way in; a row that fails now means the format changed under it.
  if (!parsed.ok) throw new InvalidChainError(parsed.issues);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    revision: row.revision,
    schemaVersion: row.schema_version,
    model: parsed.chain,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ChainStore extends ScopedStore {
  async list(): Promise<ChainSummary[]> {
    const rows = await this.db
      .selectFrom('delivery_chains')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((row) => {
      const chain = toStored(row).model;
      return {
        id: row.id,
        name: row.name,
        description: row.description,
        revision: row.revision,
        stageCount: chain.stages.length,
        interventionCount: chain.interventions.length,
        organisations: [...new Set(chain.stages.map((s) => s.organisation))],
        updatedAt: row.updated_at,
      };
    });
  }

  async get(id: string): Promise<StoredChain | undefined> {
    const row = await this.db
      .selectFrom('delivery_chains')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? toStored(row) : undefined;
  }

  /** Stores a new chain; `how` says whether it was built with the forms, imported or seeded. */
  async create(model: DeliveryChain, how: 'created' | 'imported' | 'seeded'): Promise<string> {
    const chain = checked(model);
    return this.tx(async (store) => {
      const id = newId();
      const now = nowIso();
      await store.db
        .insertInto('delivery_chains')
        .values({
          id,
          organisation_id: store.organisationId,
          name: chain.name,
          description: chain.description ?? '',
          model: JSON.stringify(chain),
          schema_version: CHAIN_SCHEMA_VERSION,
          revision: 1,
          created_by: store.actorUserId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await store.audit(store.db, {
        action: how === 'imported' ? 'chain.imported' : 'chain.created',
        entityType: 'delivery_chain',
        entityId: id,
        details: { name: chain.name, stages: chain.stages.length, how },
      });
      return id;
    });
  }

  /**
   * Replaces a chain's model with a changed one. Returns false if there is no such chain here.
   * Scenarios that name an intervention which no longer exists are removed with it.
   */
  async update(id: string, model: DeliveryChain, change: ChainChange): Promise<boolean> {
    return (await this.write(id, model, change)) === 'updated';
  }

  /**
   * `update`, only if the chain is still at `revision` (the API's optimistic lock): 'stale' if
   * someone changed it since, checked in the same statement that writes, so two writers that read
   * the same revision cannot both succeed.
   */
  async updateAtRevision(
    id: string,
    model: DeliveryChain,
    change: ChainChange,
    revision: number,
  ): Promise<'updated' | 'stale' | 'missing'> {
    return this.write(id, model, change, revision);
  }

  private async write(
    id: string,
    model: DeliveryChain,
    change: ChainChange,
    expectedRevision?: number,
  ): Promise<'updated' | 'stale' | 'missing'> {
    const chain = checked(model);
    return this.tx(async (store) => {
      const before = await store.db
        .selectFrom('delivery_chains')
        .select(['revision', 'model'])
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (!before) return 'missing';
      if (expectedRevision !== undefined && before.revision !== expectedRevision) return 'stale';
      let update = store.db
        .updateTable('delivery_chains')
        .set({
          name: chain.name,
          description: chain.description ?? '',
          model: JSON.stringify(chain),
          revision: before.revision + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId);
      if (expectedRevision !== undefined) update = update.where('revision', '=', expectedRevision);
      const written = await update.executeTakeFirst();
      if (Number(written.numUpdatedRows) === 0) return 'stale';
      await store.audit(store.db, {
        action: change.action,
        entityType: 'delivery_chain',
        entityId: id,
        details: { ...change.details, revision: before.revision + 1 },
      });
      // A chain convened with members: they hear of a change to its structure or their stages.
      const previous = parseChain(JSON.parse(before.model));
      if (previous.ok)
        await recordConvenedChainChange(store.db, {
          institutionId: store.organisationId,
          chainId: id,
          before: previous.chain,
          after: chain,
          writeOwn: (event) => store.audit(store.db, event),
        });
      const known = new Set(chain.interventions.map((i) => i.id));
      for (const scenario of await store.scenarios(id)) {
        if (scenario.interventions.every((i) => known.has(i))) continue;
        await store.removeScenario(id, scenario.id, 'an intervention it used was removed');
      }
      return 'updated';
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const chain = await store.get(id);
      if (!chain) return false;
      await recordConvenedChainRemoved(store.db, store.organisationId, id, chain.name);
      await store.db
        .deleteFrom('chain_scenarios')
        .where('chain_id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.db
        .deleteFrom('delivery_chains')
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'chain.deleted',
        entityType: 'delivery_chain',
        entityId: id,
        details: { name: chain.name },
      });
      return true;
    });
  }

  // ---- scenarios ----

  async scenarios(chainId: string): Promise<StoredScenario[]> {
    const rows = await this.db
      .selectFrom('chain_scenarios')
      .selectAll()
      .where('chain_id', '=', chainId)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      chainId: r.chain_id,
      name: r.name,
      interventions: JSON.parse(r.interventions) as string[],
      createdAt: r.created_at,
    }));
  }

  /** A named combination of the chain's interventions; undefined if the chain is not here. */
  async createScenario(
    chainId: string,
    name: string,
    interventions: readonly string[],
  ): Promise<string | undefined> {
    return this.tx(async (store) => {
      const chain = await store.get(chainId);
      if (!chain) return undefined;
      const known = new Set(chain.model.interventions.map((i) => i.id));
      const unknown = interventions.filter((i) => !known.has(i));
      if (unknown.length > 0 || interventions.length === 0) {
        throw new Error(`scenario names unknown interventions: ${unknown.join(', ')}`);
      }
      const id = newId();
      await store.db
        .insertInto('chain_scenarios')
        .values({
          id,
          organisation_id: store.organisationId,
          chain_id: chainId,
          name,
          interventions: JSON.stringify(interventions),
          created_by: store.actorUserId,
          created_at: nowIso(),
        })
        .execute();
      await store.audit(store.db, {
        action: 'scenario.created',
        entityType: 'chain_scenario',
        entityId: id,
        details: { chainId, name, interventions },
      });
      return id;
    });
  }

  async removeScenario(chainId: string, scenarioId: string, reason?: string): Promise<boolean> {
    return this.tx(async (store) => {
      const result = await store.db
        .deleteFrom('chain_scenarios')
        .where('id', '=', scenarioId)
        .where('chain_id', '=', chainId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await store.audit(store.db, {
        action: 'scenario.deleted',
        entityType: 'chain_scenario',
        entityId: scenarioId,
        details: { chainId, ...(reason === undefined ? {} : { reason }) },
      });
      return true;
    });
  }
}
