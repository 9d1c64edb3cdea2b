// What the assessment pages share: finding the round a request names (scoped to the caller's
// organisation, so another organisation's round is simply not found) and the status tags.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Round } from '../../storage/index.ts';

export const STATUS_TAGS: Readonly<Record<Round['status'], { text: string; classes: string }>> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  open: { text: 'Open', classes: 'govuk-tag--green' },
  closed: { text: 'Closed', classes: 'govuk-tag--yellow' },
  finalised: { text: 'Finalised', classes: 'govuk-tag--blue' },
};

// Built once: zod compiles a schema on its first use, which costs more than the parse itself.
const roundParams = z.object({ id: z.uuid() });

function roundIdFrom(request: FastifyRequest): string | undefined {
  const parsed = roundParams.safeParse(request.params);
  return parsed.success ? parsed.data.id : undefined;
}

/**
 * The version of a finalised round's results a page asks for (`?version=2`): undefined for the
 * latest; 0 for something that is not a version number, which no round has (so: not found).
 */
export function versionOf(request: FastifyRequest): number | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.version;
  if (raw === undefined || raw === '') return undefined;
  const parsed = z.coerce.number().int().positive().safeParse(raw);
  return parsed.success ? parsed.data : 0;
}

export async function loadRound(request: FastifyRequest): Promise<Round | undefined> {
  const id = roundIdFrom(request);
  return id ? request.scope.assessments.round(id) : undefined;
}
