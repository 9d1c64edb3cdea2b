// What every delivery-chain route shares: finding the caller's own chain by id (another
// organisation's id finds nothing: 404), breadcrumbs, and saving a checked draft with its audit
// action — or re-showing the form with the engine's issues when the draft does not check.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeliveryChain } from '../../domain/chain/index.ts';
import type { ChainChange, StoredChain } from '../../storage/index.ts';
import { check, type Draft } from './edit.ts';
import { hasRole } from '../principal.ts';

const chainParams = z.object({ id: z.uuid() }).loose();
const partId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/)
  .max(100);

/** The caller's chain named by :id, or undefined (a malformed or foreign id finds nothing). */
export async function chainFrom(request: FastifyRequest): Promise<StoredChain | undefined> {
  const parsed = chainParams.safeParse(request.params);
  if (!parsed.success) return undefined;
  return request.scope.chains.get(parsed.data.id);
}

/** A stage, output, input or intervention id from the URL, checked against the model's id pattern. */
export function partFrom(request: FastifyRequest, name: string): string | undefined {
  const raw = (request.params as Record<string, unknown>)[name];
  const parsed = partId.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export function canEdit(request: FastifyRequest): boolean {
  return hasRole(request.principal?.role ?? 'viewer', 'lead');
}

export type Crumb = { text: string; href?: string };

export function crumbs(stored?: StoredChain, ...rest: Crumb[]): Crumb[] {
  return [
    { text: 'Home', href: '/' },
    { text: 'Delivery chains', href: '/chains' },
    ...(stored === undefined ? [] : [{ text: stored.name, href: `/chains/${stored.id}` }]),
    ...rest,
  ];
}

export function editCrumbs(stored: StoredChain, text: string): Crumb[] {
  return crumbs(stored, { text: 'Change the chain', href: `/chains/${stored.id}/edit` }, { text });
}

export type SaveResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

/** Checks the draft with the engine and, if it passes, saves it with an audit entry. */
export async function saveDraft(
  request: FastifyRequest,
  stored: StoredChain,
  draft: Draft,
  action: ChainChange['action'],
  details: Record<string, unknown>,
): Promise<SaveResult> {
  const result = check(draft);
  if (!result.ok) return { ok: false, issues: result.issues };
  await request.scope.chains.update(stored.id, result.chain, { action, details });
  return { ok: true };
}

export function stageItems(chain: DeliveryChain, selected: unknown, empty?: string) {
  return [
    ...(empty === undefined
      ? []
      : [{ value: '', text: empty, selected: selected === '' || selected === undefined }]),
    ...chain.stages.map((s) => ({
      value: s.id,
      text: `${s.name} (${s.organisation})`,
      selected: selected === s.id,
    })),
  ];
}
