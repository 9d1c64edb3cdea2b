// The readiness table's form, so an admin never writes JSON: a select per ambition × organisation-
// level capability (level-<ambition>-<capability>) and one per level a risk rule sets
// (rule-<rule id>-<capability>), each offering the five levels in words. The form's answers are
// applied to the table in use; a changed level takes the admin's reason, dated and with the paper's
// default beside it, and a level changed back to the paper's default takes the paper's own reason
// and source again. `parseReadinessTable` has the last word (in the route); its issues are mapped
// back to the field they concern. Each saved table gets a new version string (`nextTableVersion`).
import {
  capabilitiesByScope,
  type Framework,
  type MaturityLevel,
  MATURITY_LEVELS,
} from '../../domain/framework/index.ts';
import { AMBITIONS, type Ambition } from '../../domain/initiatives/types.ts';
import {
  DEFAULT_READINESS_TABLE,
  FACT_DESCRIPTIONS,
  requiredLevelText,
  type FailureGuard,
  type ReadinessRequirement,
  type ReadinessTable,
} from '../../domain/readiness/index.ts';

type Body = Record<string, unknown>;

/** The longest reason an admin may give for a change. */
export const NOTE_LIMIT = 1000;

/** "Good (2) or better": what a required level asks for. */
export function requirementWords(level: MaturityLevel): string {
  if (level === 1) return requiredLevelText(1);
  if (level === 5) return `Any level: ${requiredLevelText(5)} or better`;
  return `${requiredLevelText(level)} or better`;
}

export const GUARD_WORDS: Readonly<Record<FailureGuard, string>> = {
  'ethical-failure': 'Ethical failure: harm to members of the public (section 2.1)',
  'operational-failure':
    'Operational failure: little or no gain in productivity for the effort (section 2.1)',
};

export const levelField = (ambition: Ambition, capabilityId: string) =>
  `level-${ambition}-${capabilityId}`;
export const ruleField = (ruleId: string, capabilityId: string) => `rule-${ruleId}-${capabilityId}`;

/** A table as a mutable plain object, the shape `parseReadinessTable` reads. */
export interface TableDocument {
  version: string;
  ambitions: Record<Ambition, { requirements: Record<string, ReadinessRequirement> }>;
  rules: { id: string; requirements: Record<string, ReadinessRequirement> }[];
  [field: string]: unknown;
}

/** Plain-words name of a capability of the framework ("Managing Risk"). */
function capabilityName(framework: Framework, id: string): string {
  return framework.capabilities.find((c) => c.id === id)?.name ?? id;
}

function orderedCapabilities(framework: Framework, ids: readonly string[]): string[] {
  const order = capabilitiesByScope(framework, 'organisation').map((c) => c.id);
  return [...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** The form's values for a table: every level as the select's value. */
export function readinessFormValues(table: ReadinessTable): Record<string, string> {
  const values: Record<string, string> = {};
  for (const ambition of AMBITIONS) {
    for (const [id, requirement] of Object.entries(table.ambitions[ambition].requirements)) {
      values[levelField(ambition, id)] = String(requirement.level);
    }
  }
  for (const rule of table.rules) {
    for (const [id, requirement] of Object.entries(rule.requirements)) {
      values[ruleField(rule.id, id)] = String(requirement.level);
    }
  }
  return values;
}

function levelItems(chosen: string | undefined) {
  return MATURITY_LEVELS.map((level) => ({
    value: String(level),
    text: requirementWords(level),
    selected: chosen === String(level),
  }));
}

/** What the edit page shows: one group of selects per ambition, and one per rule. */
export function readinessFormSections(
  table: ReadinessTable,
  values: Readonly<Record<string, unknown>>,
  framework: Framework,
) {
  const chosen = (field: string) => {
    const v = values[field];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    ambitions: AMBITIONS.map((ambition) => {
      const tier = table.ambitions[ambition];
      return {
        id: ambition,
        name: tier.name,
        description: tier.description,
        fields: orderedCapabilities(framework, Object.keys(tier.requirements)).map((id) => ({
          id: levelField(ambition, id),
          label: capabilityName(framework, id),
          hint: `Now: ${requirementWords(tier.requirements[id]?.level ?? 3)}.`,
          items: levelItems(chosen(levelField(ambition, id))),
        })),
      };
    }),
    rules: table.rules.map((rule) => ({
      id: rule.id,
      description: rule.description,
      when: rule.when.map((fact) => FACT_DESCRIPTIONS[fact]),
      guards: GUARD_WORDS[rule.guardsAgainst],
      fields: orderedCapabilities(framework, Object.keys(rule.requirements)).map((id) => ({
        id: ruleField(rule.id, id),
        label: capabilityName(framework, id),
        hint: `Now: ${requirementWords(rule.requirements[id]?.level ?? 3)}.`,
        items: levelItems(chosen(ruleField(rule.id, id))),
      })),
    })),
  };
}

export interface LevelChange {
  readonly field: string;
  /** "Pilot or off-the-shelf tool" or the rule's description. */
  readonly where: string;
  readonly capability: string;
  readonly from: MaturityLevel;
  readonly to: MaturityLevel;
}

export type TableEditResult =
  | {
      readonly ok: true;
      readonly document: TableDocument;
      readonly changes: readonly LevelChange[];
    }
  | { readonly ok: false; readonly problems: readonly [field: string, message: string][] };

function readLevel(body: Body, field: string): MaturityLevel | undefined {
  const value = body[field];
  if (typeof value !== 'string' || !/^[1-5]$/.test(value)) return undefined;
  return Number(value) as MaturityLevel;
}

/**
 * Applies the form's levels to `base` (the table in use). Each changed level takes the reason the
 * admin gave, dated, with the paper's default named beside it; one changed back to the paper's own
 * level takes the paper's reason and source again. Refuses a value that is not a level, a change
 * without a reason, and a form that changes nothing.
 */
export function applyLevels(
  base: ReadinessTable,
  body: Body,
  context: { readonly framework: Framework; readonly date: string },
): TableEditResult {
  const document = structuredClone(base) as unknown as TableDocument;
  const problems: [string, string][] = [];
  const changes: LevelChange[] = [];
  const note = typeof body.note === 'string' ? body.note.trim() : '';

  const apply = (
    field: string,
    where: string,
    capabilityId: string,
    target: Record<string, ReadinessRequirement>,
    paperDefault: ReadinessRequirement | undefined,
  ) => {
    const current = target[capabilityId];
    if (current === undefined) return;
    const level = readLevel(body, field);
    const capability = capabilityName(context.framework, capabilityId);
    if (level === undefined) {
      problems.push([
        field,
        `Choose a level from Outstanding (1) to Inadequate (5) for ${capability} (${where})`,
      ]);
      return;
    }
    if (level === current.level) return;
    changes.push({ field, where, capability, from: current.level, to: level });
    target[capabilityId] =
      paperDefault !== undefined && paperDefault.level === level
        ? { ...paperDefault }
        : {
            level,
            reason: `${note} (Changed by the organisation on ${context.date} from ${requirementWords(current.level)} to ${requirementWords(level)}${paperDefault ? `; the paper’s default is ${requirementWords(paperDefault.level)}` : ''}.)`,
            source: `The organisation’s own decision of ${context.date}${paperDefault ? `; the paper’s default cites ${paperDefault.source}` : `; before it: ${current.source}`}`,
          };
  };

  for (const ambition of AMBITIONS) {
    const requirements = document.ambitions[ambition].requirements;
    for (const id of orderedCapabilities(context.framework, Object.keys(requirements))) {
      apply(
        levelField(ambition, id),
        base.ambitions[ambition].name,
        id,
        requirements,
        DEFAULT_READINESS_TABLE.ambitions[ambition].requirements[id],
      );
    }
  }
  document.rules.forEach((rule, index) => {
    const paperRule = DEFAULT_READINESS_TABLE.rules.find((r) => r.id === rule.id);
    for (const id of orderedCapabilities(context.framework, Object.keys(rule.requirements))) {
      apply(
        ruleField(rule.id, id),
        `rule “${base.rules[index]?.description ?? rule.id}”`,
        id,
        rule.requirements,
        paperRule?.requirements[id],
      );
    }
  });

  const firstField = AMBITIONS.map((a) =>
    orderedCapabilities(context.framework, Object.keys(base.ambitions[a].requirements)).map((id) =>
      levelField(a, id),
    ),
  ).flat()[0];
  if (problems.length === 0 && changes.length === 0) {
    problems.push([
      firstField ?? 'note',
      'Nothing has changed: choose a different level for at least one capability, or go back',
    ]);
  }
  if (changes.length > 0 && note === '') {
    problems.push([
      'note',
      'Say why you are changing the table: the reason is shown beside each level you change',
    ]);
  }
  if (note.length > NOTE_LIMIT) {
    problems.push(['note', `The reason must be ${NOTE_LIMIT} characters or fewer`]);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document, changes };
}

/** The form field a `parseReadinessTable` issue concerns, or undefined when it is the whole table. */
export function fieldOfIssue(
  path: string,
  table: { rules: readonly { id: string }[] },
): string | undefined {
  const parts = path.split('.');
  if (parts[0] === 'ambitions' && parts[2] === 'requirements' && parts[3] !== undefined) {
    return (AMBITIONS as readonly string[]).includes(parts[1] ?? '')
      ? levelField(parts[1] as Ambition, parts[3])
      : undefined;
  }
  if (parts[0] === 'rules' && parts[2] === 'requirements' && parts[3] !== undefined) {
    const rule = table.rules[Number(parts[1])];
    return rule ? ruleField(rule.id, parts[3]) : undefined;
  }
  return undefined;
}

function versionParts(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** True when `a` is a later major.minor.patch version than `b`. */
export function isLaterVersion(a: string, b: string): boolean {
  const [x, y] = [versionParts(a), versionParts(b)];
  if (!x || !y) return false;
  return x[0] - y[0] > 0 || (x[0] === y[0] && (x[1] - y[1] > 0 || (x[1] === y[1] && x[2] > y[2])));
}

/**
 * The version string of the next saved table: the minor part of the one in use goes up ("1.0.0" →
 * "1.1.0"), skipping any already used, so each saved table names a version no other one has and a
 * readiness snapshot that named the old one still finds it.
 */
export function nextTableVersion(current: string, taken: ReadonlySet<string>): string {
  const [major, minor] = versionParts(current) ?? [1, 0, 0];
  let next = minor + 1;
  while (taken.has(`${major}.${next}.0`)) next += 1;
  return `${major}.${next}.0`;
}
