// The framework a round was answered against. Rounds keep the exact document (id and version) they
// used, so results and comparisons stay true after the framework is revised.
import { loadFramework, type Framework } from '../domain/framework/index.ts';
import type { OrgScope } from '../storage/index.ts';

export class FrameworkRegistry {
  private readonly cache = new Map<string, Framework>();

  constructor(readonly current: Framework) {
    this.cache.set(key(current.id, current.version), current);
  }

  async forRound(
    scope: OrgScope,
    round: { frameworkId: string; frameworkVersion: string },
  ): Promise<Framework> {
    const k = key(round.frameworkId, round.frameworkVersion);
    const cached = this.cache.get(k);
    if (cached) return cached;
    const document = await scope.assessments.frameworkDocument(
      round.frameworkId,
      round.frameworkVersion,
    );
    if (document === undefined) throw new Error(`Framework ${k} is not stored`);
    const framework = loadFramework(document);
    this.cache.set(k, framework);
    return framework;
  }
}

function key(id: string, version: string): string {
  return `${id}@${version}`;
}
