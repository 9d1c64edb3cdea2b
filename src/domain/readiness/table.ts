// The readiness table as versioned data: for each ambition (pilot, bespoke, system-wide) the weakest
// acceptable level of each organisation-level capability, and the risk rules that raise a level for
// initiatives that affect the public, use sensitive data, decide about people or are supplied in a
// demanding way. The paper treats its framework as a flexible diagnostic, not a checklist (section 3,
// introduction): what is "enough" depends on what is attempted, and a body may set its own bar, so
// the table is a document an administrator can edit and `parseReadinessTable` checks. Levels use the
// paper's numbering: 1 = Outstanding … 5 = Inadequate; a requirement of 2 means "Good or better".
import { z } from 'zod';
import {
  capabilitiesByScope,
  defaultFramework,
  getCapability,
  levelName,
} from '../framework/index.ts';
import type { Framework, MaturityLevel } from '../framework/index.ts';
import { AMBITIONS } from '../initiatives/types.ts';
import type { Ambition } from '../initiatives/types.ts';
import defaultDocument from './documents/hoskins-2025-readiness.json' with { type: 'json' };
import { INITIATIVE_FACTS } from './facts.ts';
import type { InitiativeFact } from './facts.ts';

export const READINESS_TABLE_SCHEMA_VERSION = 1;

const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const text = (description: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .describe(description);

const requirementSchema = z.strictObject({
  level: z
    .literal([1, 2, 3, 4, 5], {
      error: 'level must be a whole number from 1 (Outstanding) to 5 (Inadequate); lower is better',
    })
    .describe(
      'The weakest acceptable level: 1 = Outstanding … 5 = Inadequate, so 2 means Good or better.',
    ),
  reason: text('Why this level is needed, in plain words.'),
  source: text('Where in the paper the reason comes from, e.g. "section 3.4; Table 2, Good".'),
});

// Keys are capability ids; whether they name the framework's organisation-level capabilities is
// checked against the framework after parsing, so the message can list the right ones.
const requirementsSchema = z.record(z.string(), requirementSchema);

const ambitionTierSchema = z.strictObject(
  {
    name: text('Display name, e.g. "Pilot or off-the-shelf tool".'),
    noun: text('How a sentence names it, e.g. "a pilot": "… that a pilot needs".'),
    description: text('What counts as this ambition.'),
    source: text('Where in the paper the ambition is described.'),
    requirements: requirementsSchema.describe('One entry per organisation-level capability.'),
  },
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is missing; a table sets out all three ambitions: pilot, bespoke and system-wide'
        : 'must be an object with name, noun, description, source and requirements',
  },
);

export const FAILURE_GUARDS = ['ethical-failure', 'operational-failure'] as const;
export type FailureGuard = (typeof FAILURE_GUARDS)[number];

const ruleSchema = z.strictObject({
  id: z.string().regex(SLUG, { error: 'must be a lower-case slug such as "affects-public"' }),
  when: z
    .array(
      z.enum(INITIATIVE_FACTS, {
        error: (issue) =>
          `"${String(issue.input)}" is not a fact a rule can test; use one of ${INITIATIVE_FACTS.join(', ')}`,
      }),
    )
    .min(1, { error: 'name at least one fact; the rule applies when all of them hold' })
    .describe('Facts about the initiative; the rule applies when all of them hold.'),
  phrase: text('How a sentence adds it to the ambition: "a bespoke system affecting the public".'),
  description: text('The situation in plain words.'),
  guardsAgainst: z
    .enum(FAILURE_GUARDS, {
      error: `must be "ethical-failure" (harm to the public) or "operational-failure" (wasted effort), section 2.1`,
    })
    .describe(
      'The kind of failure the rule protects against (section 2.1). A shortfall in a capability an ethical-failure rule names cannot be accepted as a condition.',
    ),
  requirements: requirementsSchema.refine((entries) => Object.keys(entries).length > 0, {
    error: 'a rule must set a level for at least one capability',
  }),
});

export const readinessTableSchema = z
  .strictObject(
    {
      schemaVersion: z.literal(READINESS_TABLE_SCHEMA_VERSION, {
        error: `must be ${READINESS_TABLE_SCHEMA_VERSION}, the only table format this build reads`,
      }),
      id: z
        .string()
        .regex(SLUG, { error: 'must be a lower-case slug such as "our-readiness-2026"' }),
      version: z.string().regex(/^\d+\.\d+\.\d+$/, {
        error: 'must be a version such as "1.0.0" (major.minor.patch)',
      }),
      title: text('Title of the table.'),
      framework: z
        .string()
        .regex(SLUG, { error: 'must be the id of a capability framework, such as "hoskins-2025"' })
        .describe('The framework whose capability ids the table uses.'),
      source: text('Where the levels come from.'),
      ambitions: z.strictObject({
        pilot: ambitionTierSchema,
        bespoke: ambitionTierSchema,
        'system-wide': ambitionTierSchema,
      }),
      rules: z.array(ruleSchema).max(100, { error: 'at most 100 rules' }),
    },
    { error: 'a readiness table must be a JSON object' },
  )
  .meta({
    id: 'ReadinessTable',
    title: 'Readiness table',
    description:
      'The weakest acceptable level of each organisation-level capability per ambition, and risk rules that raise it (Hoskins 2025, section 3).',
  });

export interface ReadinessRequirement {
  readonly level: MaturityLevel;
  readonly reason: string;
  readonly source: string;
}

export interface AmbitionTier {
  readonly name: string;
  readonly noun: string;
  readonly description: string;
  readonly source: string;
  readonly requirements: Readonly<Record<string, ReadinessRequirement>>;
}

export interface RiskRule {
  readonly id: string;
  readonly when: readonly InitiativeFact[];
  readonly phrase: string;
  readonly description: string;
  readonly guardsAgainst: FailureGuard;
  readonly requirements: Readonly<Record<string, ReadinessRequirement>>;
}

/** A table that has passed every check; deeply frozen. */
export interface ReadinessTable {
  readonly schemaVersion: typeof READINESS_TABLE_SCHEMA_VERSION;
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly framework: string;
  readonly source: string;
  readonly ambitions: Readonly<Record<Ambition, AmbitionTier>>;
  readonly rules: readonly RiskRule[];
}

export interface ReadinessTableIssue {
  /** Dotted path in the document, e.g. "rules.2.requirements.managing-risk.level". */
  readonly path: string;
  readonly message: string;
}

export type ReadinessTableParseResult =
  | {
      readonly ok: true;
      readonly table: ReadinessTable;
      /** Allowed but unusual, such as a pilot asking for more than a bespoke system. */
      readonly warnings: readonly ReadinessTableIssue[];
    }
  | {
      readonly ok: false;
      readonly issues: readonly ReadinessTableIssue[];
      readonly warnings: readonly ReadinessTableIssue[];
    };

/** "Good (2)": how the readiness wording names a required level. */
export function requiredLevelText(level: MaturityLevel): string {
  return `${levelName(level)} (${level})`;
}

/**
 * Parses and checks an edited readiness table against the framework whose organisation-level
 * capabilities it covers. Never throws on bad input; every issue names where it is.
 */
export function parseReadinessTable(
  raw: unknown,
  framework: Framework = defaultFramework,
): ReadinessTableParseResult {
  const parsed = readinessTableSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: `${describePath(raw, issue.path)}: ${
          issue.code === 'unrecognized_keys'
            ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
            : issue.message
        }`,
      })),
      warnings: [],
    };
  }
  const table = parsed.data as ReadinessTable;
  const issues: ReadinessTableIssue[] = [];
  const warnings: ReadinessTableIssue[] = [];
  const report = (list: ReadinessTableIssue[]) => (path: string, message: string) =>
    list.push({ path, message });
  checkTable(table, framework, report(issues), report(warnings));
  return issues.length > 0
    ? { ok: false, issues, warnings }
    : { ok: true, table: deepFreeze(table), warnings };
}

function checkTable(
  table: ReadinessTable,
  framework: Framework,
  issue: (path: string, message: string) => void,
  warn: (path: string, message: string) => void,
): void {
  const organisation = capabilitiesByScope(framework, 'organisation');
  const orgIds = organisation.map((capability) => capability.id);
  const name = (id: string) => getCapability(framework, id)?.name ?? id;

  if (table.framework !== framework.id) {
    warn(
      'framework',
      `the table was written for framework "${table.framework}" but is checked against "${framework.id}"; capability ids are matched by name`,
    );
  }

  const checkCapabilityIds = (
    where: string,
    path: string,
    requirements: Readonly<Record<string, ReadinessRequirement>>,
  ) => {
    for (const id of Object.keys(requirements)) {
      if (orgIds.includes(id)) continue;
      const capability = getCapability(framework, id);
      issue(
        `${path}.${id}`,
        capability
          ? `${where}: "${id}" (${capability.name}) is a sector-level capability; readiness is judged on the organisation-level capabilities (section 3): ${orgIds.join(', ')}`
          : `${where}: unknown capability "${id}"; the organisation-level capabilities are ${orgIds.join(', ')}`,
      );
    }
  };

  for (const ambition of AMBITIONS) {
    const where = `ambition "${ambition}"`;
    const path = `ambitions.${ambition}.requirements`;
    const requirements = table.ambitions[ambition].requirements;
    checkCapabilityIds(where, path, requirements);
    for (const id of orgIds) {
      if (requirements[id] === undefined) {
        issue(
          path,
          `${where}: no level for "${id}" (${name(id)}); every ambition sets a level for each organisation-level capability`,
        );
      }
    }
  }

  // The paper orders the ambitions by what they demand (section 3, introduction); an edit that
  // reverses them may be deliberate, so it is allowed, but said.
  const ladder: readonly [Ambition, Ambition][] = [
    ['pilot', 'bespoke'],
    ['bespoke', 'system-wide'],
  ];
  for (const id of orgIds) {
    for (const [lighter, heavier] of ladder) {
      const a = table.ambitions[lighter].requirements[id];
      const b = table.ambitions[heavier].requirements[id];
      if (a !== undefined && b !== undefined && a.level < b.level) {
        warn(
          `ambitions.${lighter}.requirements.${id}.level`,
          `${name(id)}: ${table.ambitions[lighter].noun} asks for ${requiredLevelText(a.level)}, more than ${table.ambitions[heavier].noun} (${requiredLevelText(b.level)}). This is allowed, but the paper treats ${table.ambitions[lighter].noun} as the lighter undertaking (section 3).`,
        );
      }
    }
  }

  const ruleIds = new Map<string, number>();
  table.rules.forEach((rule, index) => {
    const where = `rule "${rule.id}"`;
    const path = `rules.${index}`;
    const first = ruleIds.get(rule.id);
    if (first !== undefined) {
      issue(`${path}.id`, `${where}: the id is also used by rule ${first + 1}`);
    } else {
      ruleIds.set(rule.id, index);
    }
    const facts = new Set<string>();
    for (const fact of rule.when) {
      if (facts.has(fact)) issue(`${path}.when`, `${where}: "${fact}" is listed twice`);
      facts.add(fact);
    }
    checkCapabilityIds(where, `${path}.requirements`, rule.requirements);
    for (const [id, requirement] of Object.entries(rule.requirements)) {
      if (!orgIds.includes(id)) continue;
      const baselines = AMBITIONS.map(
        (ambition) => [ambition, table.ambitions[ambition].requirements[id]?.level] as const,
      ).filter((entry): entry is readonly [Ambition, MaturityLevel] => entry[1] !== undefined);
      // A rule combines with an ambition by taking the stricter level, so one looser than every
      // ambition could only have been meant to lower the bar, which rules may not do.
      if (baselines.length > 0 && baselines.every(([, level]) => requirement.level > level)) {
        issue(
          `${path}.requirements.${id}.level`,
          `${where}: ${name(id)} at ${requiredLevelText(requirement.level)} is looser than every ambition's own level (${baselines
            .map(([ambition, level]) => `${ambition} ${level}`)
            .join(
              ', ',
            )}), so it could only relax a requirement. A rule can only raise the bar; to ask for less, change the ambition's level.`,
        );
      }
    }
  });
}

function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  const [head, key, ...rest] = path;
  const tail = rest.map(String).join('.');
  if (head === 'ambitions' && typeof key === 'string') {
    return `ambition "${key}"${tail ? `, field "${tail}"` : ''}`;
  }
  if (head === 'rules' && typeof key === 'number') {
    const rules = (raw as { rules?: unknown } | null)?.rules;
    const rule = Array.isArray(rules) ? (rules[key] as { id?: unknown } | undefined) : undefined;
    const label = typeof rule?.id === 'string' ? `rule "${rule.id}"` : `rule ${key + 1}`;
    return `${label}${tail ? `, field "${tail}"` : ''}`;
  }
  return path.length > 0 ? `field "${path.map(String).join('.')}"` : 'table';
}

/** Like `parseReadinessTable` but throws one error listing every issue. */
export function parseReadinessTableOrThrow(
  raw: unknown,
  framework: Framework = defaultFramework,
): ReadinessTable {
  const result = parseReadinessTable(raw, framework);
  if (!result.ok) {
    throw new Error(
      `Invalid readiness table:\n${result.issues.map((i) => `  - ${i.message}`).join('\n')}`,
    );
  }
  return result.table;
}

/** The paper's defaults, checked when the module loads so that a broken data file stops start-up. */
export const DEFAULT_READINESS_TABLE: ReadinessTable = parseReadinessTableOrThrow(defaultDocument);

/** JSON Schema (draft 2020-12) of the table format, for editors and the API documentation. */
export function readinessTableJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(readinessTableSchema, { io: 'input' }) as Record<string, unknown>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
