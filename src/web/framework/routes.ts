// The framework browser: the twelve capabilities grouped by scope, and a page per capability with
// its summary, five levels, indicators and citations. Public: no sign-in needed.
import type { FastifyPluginAsync } from 'fastify';
import {
  capabilitiesByScope,
  getCapability,
  levelLabel,
  type Capability,
  type Scope,
} from '../../domain/framework/index.ts';
import type { Services } from '../principal.ts';
import { notFound } from '../plugins/errors.ts';

export const frameworkRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const fw = services.framework;
  const scopes = fw.document.scopes.map((scope) => ({
    ...scope,
    capabilities: capabilitiesByScope(fw, scope.id),
    labels: fw.document.levels.map((level) => ({
      number: level.number,
      name: level.name,
      label: scope.levelLabels[String(level.number) as '1'],
    })),
  }));

  app.get('/framework', async (_request, reply) =>
    reply.page('pages/framework/index.njk', {
      title: 'The capability framework',
      framework: fw.document,
      scopes,
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Capability framework' }],
    }),
  );

  app.get<{ Params: { id: string } }>('/framework/:id', async (request, reply) => {
    const capability = getCapability(fw, request.params.id);
    if (!capability) return notFound(reply);
    const scope = fw.document.scopes.find((s) => s.id === capability.scope);
    const neighbours = neighboursOf(fw.capabilities, capability);
    return reply.page('pages/framework/capability.njk', {
      title: `${capability.number}. ${capability.name}`,
      capability,
      scope,
      levels: capability.levels.map((level) => ({
        ...level,
        label: levelLabel(fw, capability.scope as Scope, level.level),
      })),
      prerequisites: capability.prerequisites.map((p) => ({
        ...p,
        capability: getCapability(fw, p.capabilityId),
      })),
      neighbours,
      framework: fw.document,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Capability framework', href: '/framework' },
        { text: capability.name },
      ],
    });
  });
};

function neighboursOf(all: readonly Capability[], capability: Capability) {
  const index = all.findIndex((c) => c.id === capability.id);
  return { previous: all[index - 1], next: all[index + 1] };
}
