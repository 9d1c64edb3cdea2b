// Shared set-up for the assessment tests: answering a round through its pages as a respondent, and
// writing a closed round of answers straight through the storage layer.
import { expect } from 'vitest';
import type { Level } from '../../src/domain/assessment/index.ts';
import { capabilitiesByScope, defaultFramework } from '../../src/domain/framework/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import { csrfTokenFrom, type Client } from './app.ts';

/** The organisation-level capabilities, in the framework's order. */
export const ORG_CAPABILITIES = capabilitiesByScope(defaultFramework, 'organisation').map(
  (c) => c.id,
);

/** Answers every organisation capability at one level, through the question pages of `base`. */
export async function answerAll(
  client: Client,
  base: string,
  level: string,
  evidence = 'We see it in the monthly reviews',
): Promise<void> {
  for (const capability of ORG_CAPABILITIES) {
    const page = await client.get(`${base}/${capability}`);
    expect(page.statusCode).toBe(200);
    const res = await client.post(`${base}/${capability}`, {
      _csrf: csrfTokenFrom(page.body),
      level,
      evidence,
      confidence: 'medium',
      action: 'continue',
      acknowledged: '1',
    });
    expect(res.statusCode).toBe(303);
  }
}

/**
 * A closed organisation-level round of the demo council, written through the storage layer: one
 * respondent per entry of `levels`, in `groups` by turns, each answering every capability at that
 * level. Returns the round's id.
 */
export async function seedClosedRound(
  storage: Storage,
  options: {
    readonly title: string;
    readonly groups: readonly string[];
    readonly levels: readonly Level[];
    readonly minGroupSize?: number;
    /** Another demo organisation and its lead (default: the council and its lead). */
    readonly organisation?: string;
    readonly leadEmail?: string;
  },
): Promise<string> {
  const { council, lead } = await demoCouncilAndLead(storage, options);
  return storage.transaction(async ({ scope }) => {
    const store = scope(council.id, { userId: lead.id, label: 'Test set-up' }).assessments;
    const id = await store.createRound({
      scope: 'organisation',
      title: options.title,
      opensOn: '2027-01-04',
      closesOn: '2027-01-29',
      groups: [...options.groups],
      minGroupSize: options.minGroupSize ?? 3,
      framework: {
        id: defaultFramework.id,
        version: defaultFramework.version,
        document: defaultFramework.document,
      },
    });
    await store.changeStatus(id, ['draft'], 'open');
    const round = await store.round(id);
    if (!round) throw new Error('round missing');
    for (const [i, level] of options.levels.entries()) {
      const group = round.groups[i % round.groups.length];
      if (!group) throw new Error('no group');
      const responseId = await store.createResponse({
        roundId: id,
        groupId: group.id,
        label: `Respondent ${i + 1}`,
      });
      for (const capability of ORG_CAPABILITIES) {
        await store.saveAnswer(responseId, capability, {
          level,
          dontKnow: false,
          indicatorsSeen: [],
          evidence: '',
          confidence: 'medium',
        });
      }
      await store.submitResponse(responseId);
    }
    await store.changeStatus(id, ['open'], 'closed');
    return id;
  });
}

/** The ids of a demo organisation (default: the council) and its lead, for set-up as that lead. */
export async function demoCouncilAndLead(
  storage: Storage,
  options: { readonly organisation?: string; readonly leadEmail?: string } = {},
): Promise<{ council: { id: string }; lead: { id: string } }> {
  const db = storage.db.kysely;
  const council = await db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', options.organisation ?? 'Demo Borough Council')
    .executeTakeFirstOrThrow();
  const lead = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', options.leadEmail ?? 'lead@demo-council.example')
    .executeTakeFirstOrThrow();
  return { council, lead };
}
