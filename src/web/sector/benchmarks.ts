// Whose benchmarks a request asks for, and as whom — the one place pages, downloads and the API
// get them, so each applies the same consent and suppression rules. An institution sees its own
// benchmarks; a public body sees those of an institution it is an active member of (the first,
// or `?institution=ID`), with its own position. Any other institution's id finds nothing.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sectorBenchmarks } from '../../services/sector.ts';
import type { SectorMembership } from '../../storage/index.ts';
import type { Services } from '../principal.ts';
import { benchmarksDocument, type BenchmarksDocument } from './view.ts';

export interface BenchmarkContext {
  readonly institutionId: string | null;
  readonly institutionName: string;
  readonly group: string | null;
  /** True when the caller is a member organisation (it sees its own position). */
  readonly member: boolean;
  /** The member's active memberships, to choose among. */
  readonly choices: readonly SectorMembership[];
}

const uuid = z.uuid();

export async function benchmarkContext(
  request: FastifyRequest,
  query: { readonly institution?: unknown; readonly group?: unknown },
): Promise<BenchmarkContext | undefined> {
  const organisation = await request.scope.organisation();
  const group =
    typeof query.group === 'string' && query.group !== '' && query.group.length <= 60
      ? query.group
      : null;
  if (organisation.kind === 'strategic_institution') {
    return {
      institutionId: organisation.id,
      institutionName: organisation.name,
      group,
      member: false,
      choices: [],
    };
  }
  const active = (await request.scope.sector.memberships()).filter((m) => m.status === 'active');
  const asked = query.institution;
  if (asked === undefined || asked === '') {
    const first = active[0];
    return {
      institutionId: first?.institutionId ?? null,
      institutionName: first?.institutionName ?? '',
      group,
      member: true,
      choices: active,
    };
  }
  const id = typeof asked === 'string' && uuid.safeParse(asked).success ? asked : undefined;
  const chosen = active.find((m) => m.institutionId === id);
  if (!chosen) return undefined;
  return {
    institutionId: chosen.institutionId,
    institutionName: chosen.institutionName,
    group,
    member: true,
    choices: active,
  };
}

export async function benchmarksFor(
  services: Services,
  request: FastifyRequest,
  query: { readonly institution?: unknown; readonly group?: unknown } = (request.query ??
    {}) as Record<string, unknown>,
): Promise<{ context: BenchmarkContext; doc: BenchmarksDocument | null } | undefined> {
  const context = await benchmarkContext(request, query);
  if (!context) return undefined;
  if (context.institutionId === null) return { context, doc: null };
  const benchmarks = await sectorBenchmarks({
    storage: services.storage,
    frameworks: services.frameworks,
    framework: services.framework,
    institutionId: context.institutionId,
    group: context.group,
    ...(context.member ? { viewer: request.scope } : {}),
  });
  return { context, doc: benchmarksDocument(benchmarks, context.institutionName) };
}
