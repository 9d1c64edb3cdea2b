// Why "where to look first" is in the order it is, in the words of the round's own capabilities
// (issue 12, point 11): an organisation round names organisational learning before planning, a
// sector round names the flow of human capital before what it underpins, each with the paper's
// section, read from the framework's prerequisites so that a new version explains itself.
import { capabilitiesByScope } from '../framework/index.ts';
import type { Framework } from '../framework/index.ts';
import type { Scope } from './types.ts';
import { listInWords } from './words.ts';

/**
 * One sentence naming, for the capabilities of `scope`, each prerequisite and what builds on it,
 * e.g. "Organisational Learning comes before Planning & Prioritisation (section 3)". Empty when the
 * scope's capabilities have no prerequisites.
 */
export function attentionOrderNote(framework: Framework, scope: Scope): string {
  const capabilities = capabilitiesByScope(framework, scope);
  const nameOf = new Map(capabilities.map((c) => [c.id, c.name]));
  // prerequisite id → dependants and the sections that say so, in the framework's order.
  const builtOn = new Map<string, { dependants: string[]; sections: Set<string> }>();
  for (const capability of capabilities) {
    for (const prerequisite of capability.prerequisites) {
      if (!nameOf.has(prerequisite.capabilityId)) continue;
      const entry = builtOn.get(prerequisite.capabilityId) ?? {
        dependants: [],
        sections: new Set<string>(),
      };
      entry.dependants.push(capability.name);
      entry.sections.add(prerequisite.section);
      builtOn.set(prerequisite.capabilityId, entry);
    }
  }
  if (builtOn.size === 0) return '';
  const level = scope === 'sector' ? 'sector' : 'organisation';
  const clauses = [...builtOn].map(([id, { dependants, sections }]) => {
    const others = capabilities.length - 1;
    const what =
      dependants.length === others && others > 2
        ? `every other ${level} capability (${listInWords(dependants)})`
        : listInWords(dependants);
    const where = [...sections].map((s) => `section ${s}`);
    return `${nameOf.get(id) ?? id} comes before ${what} (${listInWords(where)})`;
  });
  return `Where the paper says one capability builds on another, a weak foundation is listed before what depends on it: ${clauses.join('; ')}.`;
}
