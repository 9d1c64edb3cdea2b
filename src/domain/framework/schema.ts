// The shape of a framework document: the twelve capabilities of Hoskins (2025), or a body's own variant of them.
// Only structure lives here, so that `z.toJSONSchema` can publish it in the OpenAPI document;
// checks that relate one field to another (unique ids, prerequisites, tables per scope) are in the loader.
import { z } from 'zod';

/** Indicators per capability level: enough to recognise the level, few enough to read on a phone. */
export const MIN_INDICATORS_PER_LEVEL = 3;
export const MAX_INDICATORS_PER_LEVEL = 8;

// Capability and scope ids are stable keys that assessments are stored against, so they stay URL-safe.
const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const text = (description: string) => z.string().trim().min(1).describe(description);

export const maturityLevelSchema = z
  .literal([1, 2, 3, 4, 5])
  .describe(
    "Maturity level in the paper's numbering: 1 = Outstanding (best) … 5 = Inadequate (worst). A lower number is better.",
  );

export const scopeSchema = z
  .enum(['organisation', 'sector'])
  .describe(
    'Organisation-level capabilities (section 3) belong to one public body; sector-level ones (section 4) to the innovation system stewarded by strategic institutions.',
  );

export const indicatorSchema = z
  .strictObject({
    id: z
      .string()
      .describe(
        'Stable id `<capability-id>.<level>.<n>`. Never renumbered or reused once published; assessments record indicators by this id.',
      ),
    text: text(
      'Something an assessor could observe at this level, paraphrased from the source table.',
    ),
    source: text('The appendix table the indicator is drawn from, e.g. "Table 1".'),
    kind: z
      .enum(['practice', 'shortcoming'])
      .optional()
      .describe(
        'Whether the indicator describes a practice to build or a shortcoming to leave behind. When absent: a practice at levels 1–2, a shortcoming at levels 3–5 (the roadmap reads it).',
      ),
  })
  .meta({ id: 'FrameworkIndicator', title: 'Indicator' });

export const capabilityLevelSchema = z
  .strictObject({
    level: maturityLevelSchema,
    description: text('One-sentence paraphrase of what this level looks like for the capability.'),
    indicators: z
      .array(indicatorSchema)
      .min(MIN_INDICATORS_PER_LEVEL, {
        error: (issue) =>
          `expected ${MIN_INDICATORS_PER_LEVEL}–${MAX_INDICATORS_PER_LEVEL} indicators, found ${countOf(issue.input)}`,
      })
      .max(MAX_INDICATORS_PER_LEVEL, {
        error: (issue) =>
          `expected ${MIN_INDICATORS_PER_LEVEL}–${MAX_INDICATORS_PER_LEVEL} indicators, found ${countOf(issue.input)}`,
      })
      .describe('Observable indicators: "what would you see here?"'),
  })
  .meta({ id: 'FrameworkCapabilityLevel', title: 'Capability level' });

export const prerequisiteSchema = z
  .strictObject({
    capabilityId: z.string().describe('Id of the capability this one depends on.'),
    reason: text('Why the paper treats the other capability as a prerequisite.'),
    section: text('Section of the paper that states or implies the dependency.'),
  })
  .meta({ id: 'FrameworkPrerequisite', title: 'Prerequisite' });

export const capabilitySchema = z
  .strictObject({
    id: z
      .string()
      .regex(SLUG, { error: 'must be a lower-case slug such as "managing-risk"' })
      .describe(
        'Stable slug; assessment rounds are compared across framework versions by this id.',
      ),
    number: z
      .int()
      .positive()
      .describe('Number of the capability in the paper (1–12 in the default framework).'),
    scope: scopeSchema,
    name: text('Name of the capability as the paper gives it.'),
    section: text('Section of the paper describing the capability, e.g. "3.1".'),
    table: text('Appendix table holding the maturity descriptors, e.g. "Table 1".'),
    summary: text('What the capability is and why it matters for productivity from AI.'),
    whyItMatters: text('What goes wrong without it.'),
    prerequisites: z.array(prerequisiteSchema).describe('Capabilities this one depends on.'),
    levels: z
      .array(capabilityLevelSchema)
      .length(5, { error: (issue) => `expected 5 levels, found ${countOf(issue.input)}` })
      .describe('One entry per maturity level, 1 (Outstanding) to 5 (Inadequate).'),
  })
  .meta({ id: 'FrameworkCapability', title: 'Capability' });

export const levelDefinitionSchema = z
  .strictObject({
    number: maturityLevelSchema,
    name: text('Name of the level, e.g. "Outstanding".'),
    summary: text('What the level means across all capabilities.'),
  })
  .meta({ id: 'FrameworkLevel', title: 'Maturity level' });

const levelLabel = (level: number) => text(`How this scope words level ${level}.`);

export const scopeDefinitionSchema = z
  .strictObject({
    id: scopeSchema,
    name: text('Display name, e.g. "Organisation level".'),
    section: text('Section of the paper introducing the scope.'),
    tables: z
      .array(text('Appendix table name, e.g. "Table 1".'))
      .min(1)
      .describe('Appendix tables holding this scope’s maturity descriptors.'),
    description: text('What the scope covers.'),
    levelLabels: z
      .strictObject({
        '1': levelLabel(1).meta({ examples: ['Proactive, Culturally Embedded'] }),
        '2': levelLabel(2),
        '3': levelLabel(3),
        '4': levelLabel(4),
        '5': levelLabel(5),
      })
      .describe('The paper gives each scope its own wording for the five levels.'),
  })
  .meta({ id: 'FrameworkScope', title: 'Scope' });

export const frameworkDocumentSchema = z
  .strictObject({
    schemaVersion: z
      .int()
      .positive()
      .describe('Version of this document format. Version 1 is the only one this build reads.'),
    id: z
      .string()
      .regex(SLUG, { error: 'must be a lower-case slug such as "hoskins-2025"' })
      .describe('Identifier of the framework, e.g. "hoskins-2025".'),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, { error: 'must be a semantic version such as "1.0.0"' })
      .describe('Version of the framework content (semantic versioning).'),
    title: text('Title of the framework.'),
    source: z
      .strictObject({
        citation: text('Full citation of the source.'),
        shortCitation: text('Short form for display, e.g. "Hoskins (2025)".'),
      })
      .describe('Where the framework comes from.'),
    levels: z.array(levelDefinitionSchema).describe('The five maturity levels, 1 = best.'),
    scopes: z.array(scopeDefinitionSchema).describe('The organisation and sector scopes.'),
    capabilities: z.array(capabilitySchema).describe('The capabilities, each with five levels.'),
  })
  .meta({
    id: 'FrameworkDocument',
    title: 'Capability framework',
    description:
      'A versioned capability framework: the twelve capabilities of Hoskins (2025) or a variant in the same format.',
  });

function countOf(input: unknown): string {
  return Array.isArray(input) ? String(input.length) : 'a non-list';
}

export type MaturityLevel = z.infer<typeof maturityLevelSchema>;
export type Scope = z.infer<typeof scopeSchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type CapabilityLevel = z.infer<typeof capabilityLevelSchema>;
export type Prerequisite = z.infer<typeof prerequisiteSchema>;
export type Capability = z.infer<typeof capabilitySchema>;
export type LevelDefinition = z.infer<typeof levelDefinitionSchema>;
export type ScopeDefinition = z.infer<typeof scopeDefinitionSchema>;
export type FrameworkDocument = z.infer<typeof frameworkDocumentSchema>;
