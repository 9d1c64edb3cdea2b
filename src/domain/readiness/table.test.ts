// The readiness table: the paper's defaults as data, and the checks an administrator's edit must pass.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_READINESS_TABLE,
  parseReadinessTable,
  readinessTableJsonSchema,
  requiredLevelText,
} from './table.ts';
import defaultDocument from './documents/hoskins-2025-readiness.json' with { type: 'json' };

type Document = typeof defaultDocument;
const edit = (change: (copy: Document) => void): Document => {
  const copy = structuredClone(defaultDocument);
  change(copy);
  return copy;
};
const setRuleLevel = (doc: Document, index: number, capabilityId: string, level: number) => {
  const requirements = doc.rules[index]?.requirements as Record<
    string,
    { level: number } | undefined
  >;
  const requirement = requirements[capabilityId];
  if (requirement === undefined) throw new Error(`rule ${index} has no ${capabilityId}`);
  requirement.level = level;
};
const issuesOf = (raw: unknown) => {
  const result = parseReadinessTable(raw);
  if (result.ok) throw new Error('expected the table to be refused');
  return result.issues.map((issue) => issue.message);
};
const ORGANISATION = [
  'organisational-learning',
  'planning-and-prioritisation',
  'developing-new-ways-of-working',
  'managing-risk',
  'managing-supplier-relations',
];

describe('the default readiness table', () => {
  const levelsOf = (ambition: 'pilot' | 'bespoke' | 'system-wide') =>
    ORGANISATION.map((id) => DEFAULT_READINESS_TABLE.ambitions[ambition].requirements[id]?.level);

  it('asks Adequate of a pilot and Good of a bespoke system, as section 3 suggests', () => {
    expect(levelsOf('pilot')).toEqual([3, 3, 3, 3, 3]);
    expect(levelsOf('bespoke')).toEqual([2, 2, 2, 2, 2]);
    // Outstanding where the appendix's top level names what a system-wide change must do.
    expect(levelsOf('system-wide')).toEqual([2, 1, 1, 2, 2]);
  });

  it('gives every cell and every rule a reason and a citation of the paper', () => {
    const requirements = [
      ...Object.values(DEFAULT_READINESS_TABLE.ambitions).flatMap((tier) =>
        Object.values(tier.requirements),
      ),
      ...DEFAULT_READINESS_TABLE.rules.flatMap((rule) => Object.values(rule.requirements)),
    ];
    expect(requirements.length).toBe(15 + 11);
    for (const requirement of requirements) {
      expect(requirement.reason.length).toBeGreaterThan(40);
      expect(requirement.source).toMatch(/section/);
      // The table names the level it describes, so the citation can be checked against the appendix.
      expect(requirement.source).toMatch(/Table [12], (Outstanding|Good|Adequate)$/);
      expect(requirement.source).toContain(
        ['Outstanding', 'Good', 'Adequate'][requirement.level - 1] ?? 'no such level',
      );
    }
  });

  it('marks the rules that protect people as guarding against ethical failure', () => {
    expect(
      DEFAULT_READINESS_TABLE.rules.map((rule) => [rule.id, rule.guardsAgainst, rule.when]),
    ).toEqual([
      ['affects-public', 'ethical-failure', ['affects-public']],
      ['affects-vulnerable', 'ethical-failure', ['affects-vulnerable']],
      ['special-category-data', 'ethical-failure', ['special-category-data']],
      ['criminal-offence-data', 'ethical-failure', ['criminal-offence-data']],
      ['decisions-about-people', 'ethical-failure', ['decisions-about-people']],
      ['automated-decisions', 'ethical-failure', ['automated-decisions']],
      [
        'automated-decisions-about-people',
        'ethical-failure',
        ['automated-decisions', 'decisions-about-people'],
      ],
      ['modular-multi-supplier', 'operational-failure', ['modular-multi-supplier']],
      [
        'single-contract-without-exit-plan',
        'operational-failure',
        ['single-end-to-end', 'no-exit-plan'],
      ],
    ]);
  });

  it('is valid without warnings, versioned and frozen', () => {
    const result = parseReadinessTable(defaultDocument);
    expect(result.ok && result.warnings).toEqual([]);
    expect(DEFAULT_READINESS_TABLE.id).toBe('hoskins-2025-readiness');
    expect(DEFAULT_READINESS_TABLE.version).toBe('1.0.0');
    expect(Object.isFrozen(DEFAULT_READINESS_TABLE.ambitions.pilot.requirements)).toBe(true);
  });

  it('names levels the way the verdict does', () => {
    expect(requiredLevelText(2)).toBe('Good (2)');
    expect(requiredLevelText(4)).toBe('Needs Improvement (4)');
  });
});

describe('parseReadinessTable: an edited table', () => {
  it('refuses a rule that could only relax a requirement', () => {
    const relaxing = edit((doc) => {
      setRuleLevel(doc, 0, 'managing-risk', 4);
    });
    expect(issuesOf(relaxing)).toEqual([
      'rule "affects-public": Managing Risk at Needs Improvement (4) is looser than every ambition\'s own level (pilot 3, bespoke 2, system-wide 2), so it could only relax a requirement. A rule can only raise the bar; to ask for less, change the ambition\'s level.',
    ]);
    // At the loosest ambition's level it still marks the capability as protecting people: allowed.
    const equal = edit((doc) => {
      setRuleLevel(doc, 0, 'managing-risk', 3);
    });
    expect(parseReadinessTable(equal).ok).toBe(true);
  });

  it('refuses an unknown capability, a sector capability and a missing one, naming the right ones', () => {
    const table = edit((doc) => {
      const pilot = doc.ambitions.pilot.requirements as Record<string, unknown>;
      pilot['managing-risks'] = pilot['managing-risk'];
      delete pilot['managing-risk'];
      (doc.ambitions.bespoke.requirements as Record<string, unknown>)['governing-failure'] =
        doc.ambitions.bespoke.requirements['managing-risk'];
    });
    expect(issuesOf(table)).toEqual([
      'ambition "pilot": unknown capability "managing-risks"; the organisation-level capabilities are organisational-learning, planning-and-prioritisation, developing-new-ways-of-working, managing-risk, managing-supplier-relations',
      'ambition "pilot": no level for "managing-risk" (Managing Risk); every ambition sets a level for each organisation-level capability',
      'ambition "bespoke": "governing-failure" (Governing Failure) is a sector-level capability; readiness is judged on the organisation-level capabilities (section 3): organisational-learning, planning-and-prioritisation, developing-new-ways-of-working, managing-risk, managing-supplier-relations',
    ]);
  });

  it('refuses a level outside 1 to 5, naming the ambition and the field', () => {
    const table = edit((doc) => {
      doc.ambitions.pilot.requirements['managing-risk'].level = 6;
    });
    const result = parseReadinessTable(table);
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: 'ambitions.pilot.requirements.managing-risk.level',
        message:
          'ambition "pilot", field "requirements.managing-risk.level": level must be a whole number from 1 (Outstanding) to 5 (Inadequate); lower is better',
      },
    ]);
  });

  it('allows a pilot stricter than a bespoke system, with a warning', () => {
    const table = edit((doc) => {
      doc.ambitions.pilot.requirements['managing-risk'].level = 1;
    });
    const result = parseReadinessTable(table);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      {
        path: 'ambitions.pilot.requirements.managing-risk.level',
        message:
          'Managing Risk: a pilot asks for Outstanding (1), more than a bespoke system (Good (2)). This is allowed, but the paper treats a pilot as the lighter undertaking (section 3).',
      },
    ]);
  });

  it('checks rules: unique ids, known facts listed once, at least one requirement', () => {
    const table = edit((doc) => {
      const [first, second, third] = doc.rules;
      if (!first || !second || !third) return;
      second.id = first.id;
      (third.when as string[]) = ['special-category-data', 'special-category-data', 'uses-ai'];
      (doc.rules[3] as { requirements: object }).requirements = {};
      (doc.rules[4] as { when: string[] }).when = [];
    });
    expect(issuesOf(table)).toEqual([
      'rule "special-category-data", field "when.2": "uses-ai" is not a fact a rule can test; use one of affects-public, affects-vulnerable, personal-data, special-category-data, criminal-offence-data, decisions-about-people, automated-decisions, single-end-to-end, modular-multi-supplier, no-exit-plan, no-data-portability, no-open-formats, model-not-owned, computer-vision, natural-language-processing, speech-analytics, predictive-analytics, chatbots, large-language-models',
      'rule "criminal-offence-data", field "requirements": a rule must set a level for at least one capability',
      'rule "decisions-about-people", field "when": name at least one fact; the rule applies when all of them hold',
    ]);
    const duplicates = edit((doc) => {
      const [first, second, third] = doc.rules;
      if (!first || !second || !third) return;
      second.id = first.id;
      (third.when as string[]) = ['special-category-data', 'special-category-data'];
    });
    expect(issuesOf(duplicates)).toEqual([
      'rule "affects-public": the id is also used by rule 1',
      'rule "special-category-data": "special-category-data" is listed twice',
    ]);
  });

  it('checks the document itself: format version, id, version, known fields, all three ambitions', () => {
    const { pilot: _pilot, ...twoAmbitions } = defaultDocument.ambitions;
    expect(
      issuesOf({
        ...defaultDocument,
        schemaVersion: 2,
        id: 'Our Table',
        version: 'v2',
        ambitions: twoAmbitions,
        colour: 'blue',
      }),
    ).toEqual([
      'field "schemaVersion": must be 1, the only table format this build reads',
      'field "id": must be a lower-case slug such as "our-readiness-2026"',
      'field "version": must be a version such as "1.0.0" (major.minor.patch)',
      'ambition "pilot": is missing; a table sets out all three ambitions: pilot, bespoke and system-wide',
      'table: unknown field "colour"',
    ]);
    expect(issuesOf('not a table')).toEqual(['table: a readiness table must be a JSON object']);
    const [firstRule] = defaultDocument.rules;
    expect(
      issuesOf({ ...defaultDocument, rules: [{ ...firstRule, description: undefined }] }),
    ).toEqual(['rule "affects-public", field "description": is missing']);
  });

  it('warns when the table was written for another framework', () => {
    const result = parseReadinessTable({ ...defaultDocument, framework: 'met-police-2026' });
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual(['framework']);
  });

  it('publishes a JSON Schema of the format', () => {
    const schema = readinessTableJsonSchema() as {
      $defs: { ReadinessTable: { required: string[] } };
    };
    expect(schema.$defs.ReadinessTable.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'id', 'version', 'ambitions', 'rules']),
    );
  });
});
