// The capability framework as validated, versioned data: the paper's twelve capabilities (Hoskins 2025,
// sections 3–4 and appendix Tables 1–5) by default, or a body's own variant in the same format.
import type { z } from 'zod';
import hoskins2025 from './documents/hoskins-2025.json' with { type: 'json' };
import {
  frameworkDocumentSchema,
  MAX_INDICATORS_PER_LEVEL,
  MIN_INDICATORS_PER_LEVEL,
} from './schema.ts';
import type {
  Capability,
  CapabilityLevel,
  FrameworkDocument,
  Indicator,
  MaturityLevel,
  Scope,
} from './schema.ts';

export * from './schema.ts';

/** Document format versions this build can read. */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1];

/** Best first, as the paper numbers them. */
export const MATURITY_LEVELS: readonly MaturityLevel[] = [1, 2, 3, 4, 5];
export const SCOPES: readonly Scope[] = ['organisation', 'sector'];

// The paper's level names (section 3). A variant may word them differently; see `levelLabel`.
const LEVEL_NAMES: Readonly<Record<MaturityLevel, string>> = {
  1: 'Outstanding',
  2: 'Good',
  3: 'Adequate',
  4: 'Needs Improvement',
  5: 'Inadequate',
};

// The last part of an indicator id: a number in the paper's framework, or a slug for a body's own additions.
const INDICATOR_SUFFIX = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A framework document that has passed every check; deeply frozen. */
export interface Framework {
  readonly id: string;
  readonly version: string;
  readonly document: FrameworkDocument;
  /** In the paper's order (by capability number). */
  readonly capabilities: readonly Capability[];
}

export class FrameworkValidationError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`Invalid framework document:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'FrameworkValidationError';
    this.issues = issues;
  }
}

/**
 * Parses and checks a framework document. Throws `FrameworkValidationError` listing every problem
 * found, each prefixed with its path in the document.
 */
export function loadFramework(raw: unknown): Framework {
  // A document in another format version fails in confusing ways, so that is said first.
  const versionIssues = checkSchemaVersion(raw);
  const parsed = frameworkDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FrameworkValidationError([
      ...versionIssues,
      ...parsed.error.issues.map(describeZodIssue),
    ]);
  }
  const document = parsed.data;
  const issues = [...versionIssues, ...checkInvariants(document)];
  if (issues.length > 0) throw new FrameworkValidationError(issues);

  const capabilities = [...document.capabilities].sort((a, b) => a.number - b.number);
  return deepFreeze({ id: document.id, version: document.version, document, capabilities });
}

/** The paper's framework, checked when the module loads so that a broken data file stops start-up. */
export const defaultFramework: Framework = loadFramework(hoskins2025);

/** Looks a capability up by its id (`managing-risk`) or its number in the paper (4). */
export function getCapability(fw: Framework, idOrNumber: string | number): Capability | undefined {
  return fw.capabilities.find((capability) =>
    typeof idOrNumber === 'number'
      ? capability.number === idOrNumber
      : capability.id === idOrNumber,
  );
}

export function capabilitiesByScope(fw: Framework, scope: Scope): readonly Capability[] {
  return fw.capabilities.filter((capability) => capability.scope === scope);
}

export function getCapabilityLevel(
  capability: Capability,
  level: MaturityLevel,
): CapabilityLevel | undefined {
  return capability.levels.find((entry) => entry.level === level);
}

export interface IndicatorLocation {
  readonly capability: Capability;
  readonly level: MaturityLevel;
  readonly indicator: Indicator;
}

/**
 * Whether an indicator describes a practice to build or a shortcoming to leave behind: its own
 * `kind`, or by default a practice at levels 1–2 and a shortcoming at levels 3–5.
 */
export function indicatorKind(
  level: MaturityLevel,
  indicator: Indicator,
): 'practice' | 'shortcoming' {
  return indicator.kind ?? (level <= 2 ? 'practice' : 'shortcoming');
}

/** Finds an indicator by its stable id, e.g. `managing-risk.2.4`. */
export function findIndicator(fw: Framework, indicatorId: string): IndicatorLocation | undefined {
  for (const capability of fw.capabilities) {
    for (const entry of capability.levels) {
      const indicator = entry.indicators.find((candidate) => candidate.id === indicatorId);
      if (indicator) return { capability, level: entry.level, indicator };
    }
  }
  return undefined;
}

/** The paper's name for a level: 1 → "Outstanding" … 5 → "Inadequate". */
export function levelName(level: MaturityLevel): string {
  return LEVEL_NAMES[level];
}

/** The level as the framework labels it in a scope, e.g. "Outstanding (Proactive, Culturally Embedded)". */
export function levelLabel(fw: Framework, scope: Scope, level: MaturityLevel): string {
  const name = fw.document.levels.find((entry) => entry.number === level)?.name ?? levelName(level);
  const scopeLabel = fw.document.scopes.find((entry) => entry.id === scope)?.levelLabels[level];
  return scopeLabel ? `${name} (${scopeLabel})` : name;
}

/**
 * True when level `a` is better than level `b`. The paper numbers levels best-first
 * (1 = Outstanding, 5 = Inadequate), so the lower number is the better level.
 */
export function isBetter(a: MaturityLevel, b: MaturityLevel): boolean {
  return a < b;
}

export function isMaturityLevel(value: unknown): value is MaturityLevel {
  return MATURITY_LEVELS.includes(value as MaturityLevel);
}

// ---------------------------------------------------------------------------------------------
// Comparing framework versions. Assessment rounds made under different versions are compared by
// capability id and indicator id, so this reports exactly which of those moved.

export interface LevelChange {
  readonly level: MaturityLevel;
  readonly descriptionChanged: boolean;
  readonly addedIndicators: readonly string[];
  readonly removedIndicators: readonly string[];
  /** Same id, different text or source. */
  readonly changedIndicators: readonly string[];
}

export type CapabilityChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface CapabilityChange {
  readonly capabilityId: string;
  readonly status: CapabilityChangeStatus;
  /** Top-level fields whose value differs, e.g. ["name", "prerequisites"]. */
  readonly fieldsChanged: readonly string[];
  /** Only levels with a change. */
  readonly levels: readonly LevelChange[];
}

export interface FrameworkComparison {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string };
  readonly identical: boolean;
  /** Every capability id in either document, in the newer document's order, then removed ones. */
  readonly capabilities: readonly CapabilityChange[];
}

type ComparableDocument = Pick<FrameworkDocument, 'id' | 'version' | 'capabilities'>;

const COMPARED_FIELDS = [
  'number',
  'scope',
  'name',
  'section',
  'table',
  'summary',
  'whyItMatters',
  'prerequisites',
] as const satisfies readonly (keyof Capability)[];

/** Which capabilities, levels and indicators differ between an older (`a`) and newer (`b`) document. */
export function compareFrameworkVersions(
  a: Framework | ComparableDocument,
  b: Framework | ComparableDocument,
): FrameworkComparison {
  const before = 'document' in a ? a.document : a;
  const after = 'document' in b ? b.document : b;
  const beforeById = new Map(before.capabilities.map((capability) => [capability.id, capability]));
  const afterIds = new Set(after.capabilities.map((capability) => capability.id));

  const changes: CapabilityChange[] = [];
  for (const capability of after.capabilities) {
    const previous = beforeById.get(capability.id);
    changes.push(
      previous
        ? compareCapability(previous, capability)
        : {
            capabilityId: capability.id,
            status: 'added',
            fieldsChanged: [],
            levels: capability.levels.map((entry) => ({
              level: entry.level,
              descriptionChanged: true,
              addedIndicators: entry.indicators.map((indicator) => indicator.id),
              removedIndicators: [],
              changedIndicators: [],
            })),
          },
    );
  }
  for (const capability of before.capabilities) {
    if (afterIds.has(capability.id)) continue;
    changes.push({
      capabilityId: capability.id,
      status: 'removed',
      fieldsChanged: [],
      levels: capability.levels.map((entry) => ({
        level: entry.level,
        descriptionChanged: true,
        addedIndicators: [],
        removedIndicators: entry.indicators.map((indicator) => indicator.id),
        changedIndicators: [],
      })),
    });
  }

  return {
    from: { id: before.id, version: before.version },
    to: { id: after.id, version: after.version },
    identical: changes.every((change) => change.status === 'unchanged'),
    capabilities: changes,
  };
}

function compareCapability(before: Capability, after: Capability): CapabilityChange {
  const fieldsChanged = COMPARED_FIELDS.filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
  const levels: LevelChange[] = [];
  for (const level of MATURITY_LEVELS) {
    const old = getCapabilityLevel(before, level);
    const next = getCapabilityLevel(after, level);
    const oldIndicators = new Map(old?.indicators.map((indicator) => [indicator.id, indicator]));
    const newIndicators = new Map(next?.indicators.map((indicator) => [indicator.id, indicator]));
    const change: LevelChange = {
      level,
      descriptionChanged: old?.description !== next?.description,
      addedIndicators: [...newIndicators.keys()].filter((id) => !oldIndicators.has(id)),
      removedIndicators: [...oldIndicators.keys()].filter((id) => !newIndicators.has(id)),
      changedIndicators: [...newIndicators].flatMap(([id, indicator]) => {
        const previous = oldIndicators.get(id);
        return previous &&
          (previous.text !== indicator.text || previous.source !== indicator.source)
          ? [id]
          : [];
      }),
    };
    if (
      change.descriptionChanged ||
      change.addedIndicators.length > 0 ||
      change.removedIndicators.length > 0 ||
      change.changedIndicators.length > 0
    ) {
      levels.push(change);
    }
  }
  return {
    capabilityId: after.id,
    status: fieldsChanged.length > 0 || levels.length > 0 ? 'changed' : 'unchanged',
    fieldsChanged,
    levels,
  };
}

// ---------------------------------------------------------------------------------------------
// Invariants the schema cannot express.

function checkInvariants(document: FrameworkDocument): string[] {
  const issues: string[] = [];
  const report = (path: string, message: string) => issues.push(`${path}: ${message}`);

  checkExactlyOnce(
    document.levels.map((entry) => entry.number),
    'levels',
    (index) => `levels[${index}].number`,
    report,
  );

  const tablesByScope = new Map<Scope, readonly string[]>();
  document.scopes.forEach((scope, index) => {
    if (tablesByScope.has(scope.id)) {
      report(`scopes[${index}].id`, `duplicate scope "${scope.id}"`);
    }
    tablesByScope.set(scope.id, scope.tables);
  });
  for (const scope of SCOPES) {
    if (!tablesByScope.has(scope)) report('scopes', `missing scope "${scope}"`);
  }

  const numbers = new Map<number, number>();
  const ids = new Map<string, number>();
  const indicatorIds = new Map<string, string>();
  document.capabilities.forEach((capability, c) => {
    const at = `capabilities[${c}]`;
    const firstWithNumber = numbers.get(capability.number);
    if (firstWithNumber !== undefined) {
      report(
        `${at}.number`,
        `duplicate capability number ${capability.number} (also capabilities[${firstWithNumber}])`,
      );
    } else {
      numbers.set(capability.number, c);
    }
    const firstWithId = ids.get(capability.id);
    if (firstWithId !== undefined) {
      report(
        `${at}.id`,
        `duplicate capability id "${capability.id}" (also capabilities[${firstWithId}])`,
      );
    } else {
      ids.set(capability.id, c);
    }

    const scopeTables = tablesByScope.get(capability.scope);
    if (!scopeTables) {
      report(`${at}.scope`, `scope "${capability.scope}" is not defined in scopes`);
    } else if (!scopeTables.includes(capability.table)) {
      report(
        `${at}.table`,
        `"${capability.table}" is not one of the ${capability.scope} scope's tables (${scopeTables.join(', ')})`,
      );
    }

    checkExactlyOnce(
      capability.levels.map((entry) => entry.level),
      `${at}.levels`,
      (index) => `${at}.levels[${index}].level`,
      report,
    );

    capability.levels.forEach((entry, l) => {
      const levelPath = `${at}.levels[${l}]`;
      const count = entry.indicators.length;
      // The schema already bounds the count; repeated here so the loader stands on its own.
      if (count < MIN_INDICATORS_PER_LEVEL || count > MAX_INDICATORS_PER_LEVEL) {
        report(
          `${levelPath}.indicators`,
          `expected ${MIN_INDICATORS_PER_LEVEL}–${MAX_INDICATORS_PER_LEVEL} indicators, found ${count}`,
        );
      }
      const prefix = `${capability.id}.${entry.level}.`;
      entry.indicators.forEach((indicator, i) => {
        const path = `${levelPath}.indicators[${i}]`;
        const suffix = indicator.id.slice(prefix.length);
        if (!indicator.id.startsWith(prefix) || !INDICATOR_SUFFIX.test(suffix)) {
          report(
            `${path}.id`,
            `"${indicator.id}" must be "${prefix}<n>" (capability id, level, then a number or slug)`,
          );
        }
        const firstPath = indicatorIds.get(indicator.id);
        if (firstPath !== undefined) {
          report(`${path}.id`, `duplicate indicator id "${indicator.id}" (also ${firstPath})`);
        } else {
          indicatorIds.set(indicator.id, path);
        }
        if (scopeTables && !scopeTables.includes(indicator.source)) {
          report(
            `${path}.source`,
            `"${indicator.source}" is not one of the ${capability.scope} scope's tables (${scopeTables.join(', ')})`,
          );
        }
      });
    });
  });

  checkPrerequisites(document, ids, report);
  return issues;
}

function checkSchemaVersion(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || !('schemaVersion' in raw)) return [];
  const version = raw.schemaVersion;
  if (typeof version !== 'number' || SUPPORTED_SCHEMA_VERSIONS.includes(version)) return [];
  return [
    `schemaVersion: unsupported version ${version}; this build reads ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`,
  ];
}

function checkExactlyOnce(
  levels: readonly MaturityLevel[],
  listPath: string,
  itemPath: (index: number) => string,
  report: (path: string, message: string) => void,
): void {
  const seen = new Set<MaturityLevel>();
  levels.forEach((level, index) => {
    if (seen.has(level)) report(itemPath(index), `level ${level} appears more than once`);
    seen.add(level);
  });
  const missing = MATURITY_LEVELS.filter((level) => !seen.has(level));
  if (missing.length > 0) {
    report(listPath, `missing level${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
}

function checkPrerequisites(
  document: FrameworkDocument,
  ids: ReadonlyMap<string, number>,
  report: (path: string, message: string) => void,
): void {
  const edges = new Map<string, string[]>();
  document.capabilities.forEach((capability, c) => {
    const targets: string[] = [];
    capability.prerequisites.forEach((prerequisite, p) => {
      const path = `capabilities[${c}].prerequisites[${p}].capabilityId`;
      if (prerequisite.capabilityId === capability.id) {
        report(path, `"${capability.id}" cannot be its own prerequisite`);
      } else if (!ids.has(prerequisite.capabilityId)) {
        report(path, `unknown capability "${prerequisite.capabilityId}"`);
      } else if (targets.includes(prerequisite.capabilityId)) {
        report(path, `"${prerequisite.capabilityId}" is listed more than once`);
      } else {
        targets.push(prerequisite.capabilityId);
      }
    });
    if (!edges.has(capability.id)) edges.set(capability.id, targets);
  });

  // Depth-first search; a grey node met again closes a cycle.
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(next)), next];
        const key = [...cycle].sort().join(' ');
        if (!reported.has(key)) {
          reported.add(key);
          report(
            `capabilities[${ids.get(next) ?? '?'}].prerequisites`,
            `prerequisites form a cycle: ${cycle.join(' → ')}`,
          );
        }
      } else if (!state.has(next)) {
        visit(next, [...trail, next]);
      }
    }
    state.set(id, 'done');
  };
  for (const id of edges.keys()) if (!state.has(id)) visit(id, [id]);
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    const key = String(segment);
    return text ? `${text}.${key}` : key;
  }, '');
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`
      : issue.message;
  return `${path || '(document)'}: ${message}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
