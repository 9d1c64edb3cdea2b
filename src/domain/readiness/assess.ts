// The readiness verdict for one AI initiative: does the organisation's latest assessment reach the
// levels that the initiative's ambition and risks call for (Hoskins 2025, section 3: "AI is not a
// monolith"), which capability gaps block it, and what to do first. The first actions are the
// assessment roadmap's own (src/domain/assessment/roadmap.ts): the framework's indicators for the
// next level, written as actions, so readiness and the roadmap never word the same step twice.
//
// The rule separating "ready with conditions" from "not ready" (README, "The verdict"):
// - every capability must have a level; an unrated one could be at any level, so it blocks;
// - a shortfall of one level may be met as a condition before approval, because the practices are
//   there but inconsistent (the paper's Adequate "can only capitalise when conditions are
//   favourable", section 3); two or more levels means they are missing and must be built first;
// - no condition for a capability that a rule guarding against ethical failure names: the harm is
//   to people (section 2.1), and a condition met on paper for one project is the performative
//   "ethics washing" section 3.4 warns against;
// - conditions only while fewer than half of the capabilities fall short: the capabilities are
//   interconnected (section 3), and a body short across most of them is below the tier as a whole.
import { levelWithName, listInWords } from '../assessment/words.ts';
import { roadmap } from '../assessment/roadmap.ts';
import type { RoadmapAction } from '../assessment/roadmap.ts';
import type { CapabilityResult } from '../assessment/types.ts';
import { defaultFramework, getCapability, isMaturityLevel } from '../framework/index.ts';
import type { Capability, Framework, MaturityLevel } from '../framework/index.ts';
import { AMBITIONS } from '../initiatives/types.ts';
import type { Ambition, CapabilityLevel } from '../initiatives/types.ts';
import { initiativeFacts } from './facts.ts';
import type { InitiativeFact, ReadinessInitiative } from './facts.ts';
import { DEFAULT_READINESS_TABLE, requiredLevelText } from './table.ts';
import type { AmbitionTier, FailureGuard, ReadinessTable, RiskRule } from './table.ts';

/** A shortfall of at most this many levels can be met as a condition before approval. */
export const MAX_CONDITION_GAP = 1;

/** The verdict rule in plain words, for displays and exports. */
export const VERDICT_RULE =
  'Ready when every capability is at or better than the level required. Ready with conditions when every shortfall is one level, none is in a capability that a rule protecting people from harm names, and fewer than half of the capabilities fall short; each shortfall then becomes a condition to meet before approval. Not ready otherwise, or when a capability has no level. No assessment when no capability has a level.';

export type ReadinessVerdict = 'ready' | 'ready-with-conditions' | 'not-ready' | 'no-assessment';

/** One source of a capability's requirement: the ambition's table cell or a risk rule. */
export interface RequirementSource {
  readonly kind: 'ambition' | 'rule';
  /** The ambition ("bespoke") or the rule's id ("affects-public"). */
  readonly id: string;
  readonly level: MaturityLevel;
  /** True when this source sets the required level (it is the strictest); the others ask for less. */
  readonly binding: boolean;
  /** For rules, the kind of failure the rule guards against (section 2.1); null for the ambition. */
  readonly guardsAgainst: FailureGuard | null;
  /** "A bespoke system needs Good (2) or better." */
  readonly text: string;
  readonly reason: string;
  readonly source: string;
}

export interface CapabilityReadiness {
  readonly capabilityId: string;
  readonly number: number;
  readonly name: string;
  /** The weakest acceptable level: the strictest of the ambition's cell and every rule that applies. */
  readonly requiredLevel: MaturityLevel;
  /** Who needs it: "a bespoke system affecting the public". */
  readonly requiredFor: string;
  readonly actualLevel: MaturityLevel | null;
  readonly source: CapabilityLevel['source'] | null;
  /** Levels short of the requirement; 0 when met or better; null when the level is unknown. */
  readonly gap: number | null;
  readonly status: 'met' | 'short' | 'unknown';
  /** Named by a rule that guards against ethical failure: a shortfall cannot become a condition. */
  readonly critical: boolean;
  readonly requirements: readonly RequirementSource[];
  readonly explanation: string;
}

export interface FirstActions {
  readonly fromLevel: MaturityLevel;
  readonly toLevel: MaturityLevel;
  /** As in the roadmap: build the next level's practices, or leave the current level's shortcomings behind. */
  readonly kind: 'build' | 'leave-behind';
  readonly actions: readonly RoadmapAction[];
  readonly explanation: string;
}

export interface BlockingCapability {
  readonly capabilityId: string;
  readonly name: string;
  readonly requiredLevel: MaturityLevel;
  readonly actualLevel: MaturityLevel | null;
  readonly source: CapabilityLevel['source'] | null;
  readonly gap: number | null;
  readonly critical: boolean;
  /** Why this shortfall is, or cannot be, a condition. */
  readonly explanation: string;
  /** The condition to meet before approval, when the verdict is ready with conditions. */
  readonly condition: string | null;
  /** The roadmap's first step from the current level; null when the level is unknown. */
  readonly firstActions: FirstActions | null;
}

export interface ReadinessResult {
  readonly verdict: ReadinessVerdict;
  /** The sentence a public servant reads first. */
  readonly summary: string;
  readonly initiative: ReadinessInitiative;
  readonly ambition: Ambition;
  readonly facts: readonly InitiativeFact[];
  readonly rulesApplied: readonly {
    readonly id: string;
    readonly description: string;
    readonly guardsAgainst: FailureGuard;
  }[];
  /** The levels used, one per capability of the table that has one, in the paper's order. */
  readonly levels: readonly CapabilityLevel[];
  readonly table: { readonly id: string; readonly version: string };
  readonly framework: { readonly id: string; readonly version: string };
  /** Every organisation-level capability, in the paper's order. */
  readonly capabilities: readonly CapabilityReadiness[];
  /** Capabilities short of the requirement or unrated: largest gap first, unrated last. */
  readonly blocking: readonly BlockingCapability[];
  /** One per blocking capability when the verdict is ready with conditions; otherwise empty. */
  readonly conditions: readonly string[];
  readonly verdictRule: string;
}

/** What the roadmap needs from an assessment's results: indicator counts and how many answered. */
export type RoadmapEvidence = Pick<CapabilityResult, 'capabilityId' | 'responses'> & {
  readonly indicatorsSeen?: CapabilityResult['indicatorsSeen'];
};

export interface ReadinessInput {
  readonly initiative: ReadinessInitiative;
  /** The organisation's levels: agreed in moderation where there is one, else the median. */
  readonly levels: readonly CapabilityLevel[];
  readonly table?: ReadinessTable;
  /** Names the capabilities and supplies the indicators of the first actions; the paper's by default. */
  readonly framework?: Framework;
  /** The assessment's results, so the first actions leave out what most respondents already see. */
  readonly results?: readonly RoadmapEvidence[];
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function countWords(count: number): string {
  return NUMBER_WORDS[count] ?? String(count);
}

function levelsShort(count: number): string {
  return `${countWords(count)} ${count === 1 ? 'level' : 'levels'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sourceWords(source: CapabilityLevel['source']): string {
  return source === 'agreed' ? 'agreed in moderation' : "respondents' median";
}

/** "a bespoke system", "a bespoke system affecting the public and informing decisions about people". */
function describeNeed(noun: string, rules: readonly RiskRule[]): string {
  return rules.length === 0 ? noun : `${noun} ${listInWords(rules.map((rule) => rule.phrase))}`;
}

function checkLevels(levels: readonly CapabilityLevel[], framework: Framework): void {
  const seen = new Set<string>();
  for (const entry of levels) {
    if (getCapability(framework, entry.capabilityId) === undefined) {
      throw new RangeError(
        `Unknown capability "${entry.capabilityId}" in the levels; framework "${framework.id}" has no such capability`,
      );
    }
    if (seen.has(entry.capabilityId)) {
      throw new RangeError(
        `Two levels given for "${entry.capabilityId}"; pass one level per capability (the agreed level, else the median)`,
      );
    }
    seen.add(entry.capabilityId);
    if (!isMaturityLevel(entry.level)) {
      throw new RangeError(
        `The level of "${entry.capabilityId}" is ${String(entry.level)}; a level is a whole number from 1 (Outstanding) to 5 (Inadequate)`,
      );
    }
    if (entry.source !== 'agreed' && entry.source !== 'median') {
      throw new RangeError(
        `The level of "${entry.capabilityId}" comes from "${String(entry.source)}"; the source must be "agreed" or "median"`,
      );
    }
  }
}

export function assessReadiness(input: ReadinessInput): ReadinessResult {
  const table = input.table ?? DEFAULT_READINESS_TABLE;
  const framework = input.framework ?? defaultFramework;
  const { initiative } = input;
  if (!AMBITIONS.includes(initiative.ambition)) {
    throw new RangeError(
      `Unknown ambition "${String(initiative.ambition)}"; expected one of ${AMBITIONS.join(', ')}`,
    );
  }
  checkLevels(input.levels, framework);

  const tier = table.ambitions[initiative.ambition];
  const facts = initiativeFacts(initiative);
  const applied = table.rules.filter((rule) => rule.when.every((fact) => facts.includes(fact)));
  const levelById = new Map(input.levels.map((entry) => [entry.capabilityId, entry]));
  const evidenceById = new Map((input.results ?? []).map((r) => [r.capabilityId, r]));

  const tableCapabilities = Object.keys(tier.requirements)
    .map((id) => {
      const capability = getCapability(framework, id);
      if (capability === undefined) {
        throw new RangeError(
          `The readiness table "${table.id}" names "${id}", which framework "${framework.id}" does not have`,
        );
      }
      return capability;
    })
    .sort((a, b) => a.number - b.number);

  const capabilities = tableCapabilities.map((capability) =>
    judgeCapability(capability, tier, initiative.ambition, applied, levelById.get(capability.id)),
  );

  const short = capabilities.filter((c) => c.status !== 'met');
  // Largest gap first; among equal gaps, the capability that protects people in the most ways.
  const protections = (c: CapabilityReadiness) =>
    c.requirements.filter((r) => r.guardsAgainst === 'ethical-failure').length;
  short.sort(
    (a, b) =>
      (b.gap ?? -1) - (a.gap ?? -1) || protections(b) - protections(a) || a.number - b.number,
  );
  const tooMany = tooManyForConditions(short.length, capabilities.length);
  const conditional = (c: CapabilityReadiness) =>
    c.gap !== null && c.gap <= MAX_CONDITION_GAP && !c.critical;
  const rated = capabilities.some((c) => c.actualLevel !== null);
  const verdict: ReadinessVerdict = !rated
    ? 'no-assessment'
    : short.length === 0
      ? 'ready'
      : !tooMany && short.every(conditional)
        ? 'ready-with-conditions'
        : 'not-ready';

  const blocking = short.map((c): BlockingCapability => {
    const condition =
      verdict === 'ready-with-conditions' && c.actualLevel !== null
        ? `Before approval, ${c.name} must reach ${requiredLevelText(c.requiredLevel)} or better; it is at ${levelWithName(c.actualLevel)} (${sourceWords(c.source ?? 'median')}).`
        : null;
    return {
      capabilityId: c.capabilityId,
      name: c.name,
      requiredLevel: c.requiredLevel,
      actualLevel: c.actualLevel,
      source: c.source,
      gap: c.gap,
      critical: c.critical,
      explanation: blockingExplanation(c, short.length, capabilities.length, applied),
      condition,
      firstActions:
        c.actualLevel === null
          ? null
          : firstActions(
              framework,
              c.capabilityId,
              c.actualLevel,
              evidenceById.get(c.capabilityId),
            ),
    };
  });

  const allRulesNeed = describeNeed(tier.noun, applied);
  return {
    verdict,
    summary: summarise(verdict, capabilities, short, allRulesNeed),
    initiative: {
      title: initiative.title,
      competency: initiative.competency,
      ambition: initiative.ambition,
      affects: [...initiative.affects],
      data: { ...initiative.data },
      decisionsAboutPeople: initiative.decisionsAboutPeople,
      automatedDecisions: initiative.automatedDecisions,
      supplier: {
        arrangement: initiative.supplier.arrangement,
        suppliers: initiative.supplier.suppliers,
        lockIn: { ...initiative.supplier.lockIn },
      },
    },
    ambition: initiative.ambition,
    facts,
    rulesApplied: applied.map((rule) => ({
      id: rule.id,
      description: rule.description,
      guardsAgainst: rule.guardsAgainst,
    })),
    levels: capabilities.flatMap((c) => {
      const given = levelById.get(c.capabilityId);
      return given
        ? [{ capabilityId: given.capabilityId, level: given.level, source: given.source }]
        : [];
    }),
    table: { id: table.id, version: table.version },
    framework: { id: framework.id, version: framework.version },
    capabilities,
    blocking,
    conditions: blocking.flatMap((b) => (b.condition === null ? [] : [b.condition])),
    verdictRule: VERDICT_RULE,
  };
}

/** One capability: its requirement and every reason for it, its level, the gap, and the words. */
function judgeCapability(
  capability: Capability,
  tier: AmbitionTier,
  ambition: Ambition,
  applied: readonly RiskRule[],
  given: CapabilityLevel | undefined,
): CapabilityReadiness {
  const cell = tier.requirements[capability.id];
  if (cell === undefined) throw new RangeError(`No requirement for "${capability.id}"`);
  const rules = applied.filter((rule) => rule.requirements[capability.id] !== undefined);
  const ruleLevel = (rule: RiskRule) => rule.requirements[capability.id]?.level ?? cell.level;
  const requiredLevel = Math.min(cell.level, ...rules.map(ruleLevel)) as MaturityLevel;
  const bindingRules = rules.filter((rule) => ruleLevel(rule) === requiredLevel);
  const requiredFor = describeNeed(tier.noun, bindingRules);
  const requirements: RequirementSource[] = [
    {
      kind: 'ambition',
      id: ambition,
      level: cell.level,
      binding: cell.level === requiredLevel,
      guardsAgainst: null,
      text: `${capitalise(tier.noun)} needs ${requiredLevelText(cell.level)} or better.`,
      reason: cell.reason,
      source: cell.source,
    },
    ...rules.map((rule): RequirementSource => {
      const requirement = rule.requirements[capability.id] ?? cell;
      return {
        kind: 'rule',
        id: rule.id,
        level: requirement.level,
        binding: requirement.level === requiredLevel,
        guardsAgainst: rule.guardsAgainst,
        text: `An initiative ${rule.phrase} needs ${requiredLevelText(requirement.level)} or better.`,
        reason: requirement.reason,
        source: requirement.source,
      };
    }),
  ];
  const actualLevel = given?.level ?? null;
  const gap = actualLevel === null ? null : Math.max(0, actualLevel - requiredLevel);
  const status = gap === null ? 'unknown' : gap > 0 ? 'short' : 'met';
  const need = requiredLevelText(requiredLevel);
  let explanation: string;
  if (given === undefined) {
    explanation = `Nobody rated ${capability.name}, so its level is unknown; ${requiredFor} needs ${need} or better.`;
  } else {
    const at = `${capability.name} is at ${levelWithName(given.level)} (${sourceWords(given.source)})`;
    explanation =
      status === 'short'
        ? `${at}, ${levelsShort(gap ?? 0)} short of the ${need} that ${requiredFor} needs.`
        : `${at}, ${given.level === requiredLevel ? 'meeting' : 'better than'} the ${need} that ${requiredFor} needs.`;
  }
  return {
    capabilityId: capability.id,
    number: capability.number,
    name: capability.name,
    requiredLevel,
    requiredFor,
    actualLevel,
    source: given?.source ?? null,
    gap,
    status,
    critical: rules.some((rule) => rule.guardsAgainst === 'ethical-failure'),
    requirements,
    explanation,
  };
}

/** Conditions only while fewer than half of the capabilities fall short (they depend on one another, section 3). */
function tooManyForConditions(shortCount: number, total: number): boolean {
  return shortCount * 2 >= total;
}

function firstActions(
  framework: Framework,
  capabilityId: string,
  level: MaturityLevel,
  evidence: RoadmapEvidence | undefined,
): FirstActions | null {
  const step = roadmap(
    framework,
    capabilityId,
    level,
    undefined,
    evidence?.indicatorsSeen ?? {},
    [],
    evidence === undefined ? {} : { respondents: evidence.responses },
  );
  if (step.kind === 'top' || step.nextLevel === null) return null;
  return {
    fromLevel: level,
    toLevel: step.nextLevel,
    kind: step.kind,
    actions: step.actions,
    explanation: step.explanation,
  };
}

function blockingExplanation(
  c: CapabilityReadiness,
  shortCount: number,
  total: number,
  applied: readonly RiskRule[],
): string {
  if (c.gap === null) {
    return `Nobody rated ${c.name} in this assessment, so it could be at any level: rate it before the initiative can be judged ready.`;
  }
  if (c.gap > MAX_CONDITION_GAP) {
    return `${capitalise(levelsShort(c.gap))} short: the practices the required level rests on are missing, not just inconsistent, so they must be built before approval rather than promised as a condition.`;
  }
  if (c.critical) {
    const guards = applied
      .filter(
        (rule) => rule.guardsAgainst === 'ethical-failure' && rule.requirements[c.capabilityId],
      )
      .map((rule) => rule.phrase);
    return `One level short, and the requirement protects people from harm (an initiative ${listInWords(guards)}, section 2.1), so the shortfall cannot be accepted as a condition.`;
  }
  if (tooManyForConditions(shortCount, total)) {
    return `One level short, but ${countWords(shortCount)} of the ${countWords(total)} capabilities fall short: too many to meet as conditions, because the capabilities depend on one another (section 3).`;
  }
  return 'One level short, and no rule protecting people from harm names it, so it can be met as a condition before approval.';
}

function summarise(
  verdict: ReadinessVerdict,
  capabilities: readonly CapabilityReadiness[],
  short: readonly CapabilityReadiness[],
  allRulesNeed: string,
): string {
  const total = countWords(capabilities.length);
  const gapSentence = (c: CapabilityReadiness) =>
    c.actualLevel === null || c.gap === null
      ? `nobody rated ${c.name}, so it cannot count as ready (${c.requiredFor} needs ${requiredLevelText(c.requiredLevel)} or better)`
      : `${c.name} is at ${levelWithName(c.actualLevel)}, ${levelsShort(c.gap)} short of the ${requiredLevelText(c.requiredLevel)} that ${c.requiredFor} needs`;

  switch (verdict) {
    case 'no-assessment':
      return `No assessment: none of the ${total} organisation-level capabilities has a level yet, so readiness cannot be judged. Run an organisation-level assessment first.`;
    case 'ready':
      return `Ready: all ${total} capabilities are at or better than the levels that ${allRulesNeed} needs.`;
    case 'ready-with-conditions': {
      if (short.length === 1 && short[0] !== undefined) {
        return `Ready with conditions: ${gapSentence(short[0])}. Meet this condition before approval.`;
      }
      return `Ready with conditions: ${listInWords(short.map((c) => c.name))} are each one level short of what ${allRulesNeed} needs. Meet these ${countWords(short.length)} conditions before approval.`;
    }
    case 'not-ready': {
      const wide = short.find((c) => c.gap !== null && c.gap > MAX_CONDITION_GAP);
      const critical = short.find((c) => c.gap !== null && c.critical);
      const unrated = short.filter((c) => c.gap === null);
      let lead: CapabilityReadiness | undefined;
      let sentence: string;
      if (wide !== undefined) {
        lead = wide;
        sentence = gapSentence(wide);
      } else if (critical !== undefined) {
        lead = critical;
        sentence = `${gapSentence(critical)}, and this shortfall cannot be a condition because the requirement protects people from harm`;
      } else if (unrated[0] !== undefined) {
        lead = unrated[0];
        sentence = gapSentence(lead);
      } else {
        return `Not ready: ${countWords(short.length)} of the ${total} capabilities are one level short of what ${allRulesNeed} needs, too many to meet as conditions.`;
      }
      const otherShort = short.filter((c) => c !== lead && c.gap !== null).length;
      const otherUnrated = unrated.filter((c) => c !== lead).map((c) => c.name);
      const more: string[] = [];
      if (otherShort > 0) {
        more.push(
          `${capitalise(countWords(otherShort))} other ${otherShort === 1 ? 'capability also falls' : 'capabilities also fall'} short.`,
        );
      }
      if (otherUnrated.length > 0) {
        more.push(`Nobody rated ${listInWords(otherUnrated)}.`);
      }
      return [`Not ready: ${sentence}.`, ...more].join(' ');
    }
  }
}
