// What every initiative page shares: finding the caller's own initiative by id (another
// organisation's id, or a malformed one, finds nothing: 404), who may change initiatives (leads and
// admins; only admins change the feature's settings), and breadcrumbs.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StoredInitiative } from '../../storage/index.ts';
import { hasRole } from '../principal.ts';

const initiativeParams = z.object({ id: z.uuid() }).loose();

/** The caller's initiative named by :id, or undefined. */
export async function initiativeFrom(
  request: FastifyRequest,
): Promise<StoredInitiative | undefined> {
  const parsed = initiativeParams.safeParse(request.params);
  if (!parsed.success) return undefined;
  return request.scope.initiatives.get(parsed.data.id);
}

/** Leads and admins register and change initiatives, their risks and evaluations. */
export function canChange(request: FastifyRequest): boolean {
  return hasRole(request.principal?.role ?? 'viewer', 'lead');
}

/** Only admins change the readiness table, the portfolio weights, the risk appetite and the fund. */
export function canChangeSettings(request: FastifyRequest): boolean {
  return hasRole(request.principal?.role ?? 'viewer', 'admin');
}

export type Crumb = { text: string; href?: string };

/** Home › AI initiatives › (the initiative) › …rest */
export function crumbs(stored?: StoredInitiative, ...rest: Crumb[]): Crumb[] {
  return [
    { text: 'Home', href: '/' },
    { text: 'AI initiatives', href: '/initiatives' },
    ...(stored
      ? [{ text: stored.initiative.title, href: `/initiatives/${stored.initiative.id}` }]
      : []),
    ...rest,
  ];
}
