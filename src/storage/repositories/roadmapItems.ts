// Roadmap items of one organisation (issue 12, point 6): actions of a round's roadmap that someone
// has taken on. Reached only through OrgScope.roadmapItems, so every query is filtered by the
// organisation; owners and initiatives are checked to belong to it by the caller (the web layer
// refuses another organisation's ids before anything is written), and every change writes an audit
// entry in the same transaction.
import { newId, nowIso } from '../../lib/ids.ts';
import type { RoadmapItemStatus, RoadmapItemsTable } from '../schema.ts';
import { ScopedStore } from './tx.ts';

export interface RoadmapItem {
  readonly id: string;
  readonly roundId: string;
  readonly roundTitle: string;
  readonly capabilityId: string;
  readonly indicatorId: string;
  readonly actionText: string;
  readonly ownerUserId: string | null;
  readonly ownerName: string | null;
  readonly dueOn: string | null;
  readonly status: RoadmapItemStatus;
  readonly notes: string;
  readonly initiativeId: string | null;
  readonly initiativeTitle: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RoadmapItemFields {
  readonly ownerUserId: string | null;
  readonly dueOn: string | null;
  readonly status: RoadmapItemStatus;
  readonly notes: string;
  readonly initiativeId: string | null;
}

export interface RoadmapItemFilter {
  readonly roundId?: string;
  readonly ownerUserId?: string;
  readonly status?: RoadmapItemStatus;
}

export class RoadmapItemStore extends ScopedStore {
  private select() {
    return this.db
      .selectFrom('roadmap_items as i')
      .innerJoin('assessment_rounds as r', 'r.id', 'i.round_id')
      .leftJoin('users as u', 'u.id', 'i.owner_user_id')
      .leftJoin('initiatives as n', (join) =>
        join
          .onRef('n.id', '=', 'i.initiative_id')
          .onRef('n.organisation_id', '=', 'i.organisation_id'),
      )
      .selectAll('i')
      .select(['r.title as round_title', 'u.name as owner_name', 'n.title as initiative_title'])
      .where('i.organisation_id', '=', this.organisationId);
  }

  /** Items in the order of the round, then capability and action, oldest round first. */
  async list(filter: RoadmapItemFilter = {}): Promise<RoadmapItem[]> {
    let query = this.select();
    if (filter.roundId !== undefined) query = query.where('i.round_id', '=', filter.roundId);
    if (filter.ownerUserId !== undefined)
      query = query.where('i.owner_user_id', '=', filter.ownerUserId);
    if (filter.status !== undefined) query = query.where('i.status', '=', filter.status);
    const rows = await query
      .orderBy('r.closes_on', 'desc')
      .orderBy('i.capability_id')
      .orderBy('i.created_at')
      .orderBy('i.id')
      .execute();
    return rows.map(toItem);
  }

  async get(id: string): Promise<RoadmapItem | undefined> {
    const row = await this.select().where('i.id', '=', id).executeTakeFirst();
    return row && toItem(row);
  }

  async forAction(
    roundId: string,
    capabilityId: string,
    indicatorId: string,
  ): Promise<RoadmapItem | undefined> {
    const row = await this.select()
      .where('i.round_id', '=', roundId)
      .where('i.capability_id', '=', capabilityId)
      .where('i.indicator_id', '=', indicatorId)
      .executeTakeFirst();
    return row && toItem(row);
  }

  /**
   * Creates the item for one action of a round (the round must be this organisation's: the caller
   * loaded it through the scope). Returns the existing item's id when the action already has one.
   */
  async create(input: {
    roundId: string;
    capabilityId: string;
    indicatorId: string;
    actionText: string;
  }): Promise<{ id: string; created: boolean }> {
    return this.tx(async (store) => {
      const existing = await store.forAction(input.roundId, input.capabilityId, input.indicatorId);
      if (existing) return { id: existing.id, created: false };
      const id = newId();
      const now = nowIso();
      await store.db
        .insertInto('roadmap_items')
        .values({
          id,
          organisation_id: store.organisationId,
          round_id: input.roundId,
          capability_id: input.capabilityId,
          indicator_id: input.indicatorId,
          action_text: input.actionText,
          owner_user_id: null,
          due_on: null,
          status: 'not-started',
          notes: '',
          initiative_id: null,
          created_by: store.actorUserId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await store.audit(store.db, {
        action: 'roadmap_item.created',
        entityType: 'roadmap_item',
        entityId: id,
        details: {
          roundId: input.roundId,
          capabilityId: input.capabilityId,
          indicatorId: input.indicatorId,
          action: input.actionText,
        },
      });
      return { id, created: true };
    });
  }

  /** Saves the item's fields; false when no such item exists in this organisation. */
  async update(id: string, fields: RoadmapItemFields): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.get(id);
      if (!before) return false;
      const changed = (['ownerUserId', 'dueOn', 'status', 'notes', 'initiativeId'] as const).filter(
        (key) => before[key] !== fields[key],
      );
      if (changed.length === 0) return true;
      await store.db
        .updateTable('roadmap_items')
        .set({
          owner_user_id: fields.ownerUserId,
          due_on: fields.dueOn,
          status: fields.status,
          notes: fields.notes,
          initiative_id: fields.initiativeId,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'roadmap_item.updated',
        entityType: 'roadmap_item',
        entityId: id,
        details: {
          action: before.actionText,
          before: Object.fromEntries(changed.map((key) => [key, before[key]])),
          after: Object.fromEntries(changed.map((key) => [key, fields[key]])),
        },
      });
      return true;
    });
  }
}

function toItem(
  row: RoadmapItemsTable & {
    round_title: string;
    owner_name: string | null;
    initiative_title: string | null;
  },
): RoadmapItem {
  return {
    id: row.id,
    roundId: row.round_id,
    roundTitle: row.round_title,
    capabilityId: row.capability_id,
    indicatorId: row.indicator_id,
    actionText: row.action_text,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    dueOn: row.due_on,
    status: row.status,
    notes: row.notes,
    initiativeId: row.initiative_id,
    initiativeTitle: row.initiative_title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
