// The readiness verdict on hand-computed cases against the default table (README, "The default
// table"): pilot 3 everywhere; bespoke 2 everywhere; system-wide 2 but Planning and New Ways of
// Working 1; the risk rules raise Managing Risk, Learning, New Ways of Working or Supplier Relations.
import { describe, expect, it } from 'vitest';
import { assessReadiness, MAX_CONDITION_GAP } from './assess.ts';
import { DEFAULT_READINESS_TABLE, parseReadinessTableOrThrow } from './table.ts';
import { initiative, levels } from '../../../test/helpers/readiness.ts';
import defaultDocument from './documents/hoskins-2025-readiness.json' with { type: 'json' };
import hoskins2025 from '../framework/documents/hoskins-2025.json' with { type: 'json' };
import { loadFramework } from '../framework/index.ts';

const byId = (result: ReturnType<typeof assessReadiness>, id: string) => {
  const found = result.capabilities.find((c) => c.capabilityId === id);
  if (!found) throw new Error(`no capability ${id}`);
  return found;
};

const bespokePublic = initiative({ ambition: 'bespoke', affects: ['staff', 'public'] });

describe('assessReadiness: the verdict', () => {
  it('finds a staff pilot ready when every capability is Adequate', () => {
    const result = assessReadiness({ initiative: initiative(), levels: levels([3, 3, 3, 3, 3]) });
    expect(result.verdict).toBe('ready');
    expect(result.summary).toBe(
      'Ready: all five capabilities are at or better than the levels that a pilot needs.',
    );
    expect(result.capabilities.map((c) => [c.requiredLevel, c.actualLevel, c.gap])).toEqual([
      [3, 3, 0],
      [3, 3, 0],
      [3, 3, 0],
      [3, 3, 0],
      [3, 3, 0],
    ]);
    expect(result.blocking).toEqual([]);
    expect(result.conditions).toEqual([]);
    expect(result.rulesApplied).toEqual([]);
    expect(result.table).toEqual({ id: 'hoskins-2025-readiness', version: '1.0.0' });
  });

  it('accepts a pilot one level short as a condition, and refuses it two levels short', () => {
    // A pilot asks for 3; a 4 is one level short (a condition), a 5 two (not ready).
    const oneShort = assessReadiness({ initiative: initiative(), levels: levels([3, 3, 3, 4, 3]) });
    expect(oneShort.verdict).toBe('ready-with-conditions');
    const twoShort = assessReadiness({ initiative: initiative(), levels: levels([3, 3, 3, 5, 3]) });
    expect(twoShort.verdict).toBe('not-ready');
    expect(MAX_CONDITION_GAP).toBe(1);
  });

  it('blocks a bespoke system affecting the public when Managing Risk is at 4, two levels short', () => {
    const result = assessReadiness({
      initiative: bespokePublic,
      levels: levels([2, 2, 2, 4, 2]),
      results: [
        {
          capabilityId: 'managing-risk',
          responses: 8,
          indicatorsSeen: { 'managing-risk.4.4': 5, 'managing-risk.4.1': 2 },
        },
      ],
    });
    expect(result.verdict).toBe('not-ready');
    expect(result.summary).toBe(
      'Not ready: Managing Risk is at 4 Needs Improvement, two levels short of the Good (2) that a bespoke system affecting the public needs.',
    );
    expect(result.blocking).toHaveLength(1);
    const [risk] = result.blocking;
    expect(risk).toMatchObject({
      capabilityId: 'managing-risk',
      requiredLevel: 2,
      actualLevel: 4,
      gap: 2,
      critical: true,
      condition: null,
    });
    // The roadmap's first step from 4: leave its shortcomings behind, the most often seen first;
    // 4.2 ("risk registers are drawn up") is a practice, never an action.
    expect(risk?.firstActions).toMatchObject({ fromLevel: 4, toLevel: 3, kind: 'leave-behind' });
    expect(risk?.firstActions?.actions.map((a) => [a.indicatorId, a.seenBy])).toEqual([
      ['managing-risk.4.4', 5],
      ['managing-risk.4.1', 2],
      ['managing-risk.4.3', 0],
    ]);
    expect(risk?.firstActions?.actions[0]?.action).toBe(
      'Tackle this: fear of blame stops staff from raising possible problems.',
    );
    // Both the bespoke cell and the public rule ask for Good, and both are named as reasons.
    expect(
      byId(result, 'managing-risk').requirements.map((r) => [r.kind, r.id, r.level, r.binding]),
    ).toEqual([
      ['ambition', 'bespoke', 2, true],
      ['rule', 'affects-public', 2, true],
    ]);
    expect(byId(result, 'managing-risk').requirements[1]).toMatchObject({
      guardsAgainst: 'ethical-failure',
      text: 'An initiative affecting the public needs Good (2) or better.',
      source: 'sections 2.1 and 3.4; Table 2, Good',
    });
  });

  it('lets a one-level shortfall with no rule protecting people become a condition', () => {
    const result = assessReadiness({
      initiative: initiative({ ambition: 'bespoke' }),
      levels: levels([2, 3, 2, 2, 2]),
      results: [
        {
          capabilityId: 'planning-and-prioritisation',
          responses: 10,
          indicatorsSeen: {
            'planning-and-prioritisation.2.1': 6,
            'planning-and-prioritisation.2.2': 5,
          },
        },
      ],
    });
    expect(result.verdict).toBe('ready-with-conditions');
    expect(result.summary).toBe(
      'Ready with conditions: Planning & Prioritisation is at 3 Adequate, one level short of the Good (2) that a bespoke system needs. Meet this condition before approval.',
    );
    expect(result.conditions).toEqual([
      "Before approval, Planning & Prioritisation must reach Good (2) or better; it is at 3 Adequate (respondents' median).",
    ]);
    const [planning] = result.blocking;
    expect(planning?.explanation).toBe(
      'One level short, and no rule protecting people from harm names it, so it can be met as a condition before approval.',
    );
    // Building Good: its practices, less the one more than half of the 10 respondents see (2.1 by 6;
    // 2.2 by exactly 5 is not more than half).
    expect(planning?.firstActions?.kind).toBe('build');
    expect(planning?.firstActions?.actions.map((a) => a.indicatorId)).toEqual([
      'planning-and-prioritisation.2.2',
      'planning-and-prioritisation.2.3',
      'planning-and-prioritisation.2.4',
      'planning-and-prioritisation.2.5',
    ]);
  });

  it('turns two one-level shortfalls into two conditions', () => {
    const result = assessReadiness({
      initiative: initiative({ ambition: 'bespoke' }),
      levels: levels([2, 3, 2, 2, 3]),
    });
    expect(result.verdict).toBe('ready-with-conditions');
    expect(result.summary).toBe(
      'Ready with conditions: Planning & Prioritisation and Managing Supplier Relations are each one level short of what a bespoke system needs. Meet these two conditions before approval.',
    );
    expect(result.conditions).toHaveLength(2);
  });

  it('refuses conditions when half or more of the capabilities fall short', () => {
    const result = assessReadiness({
      initiative: initiative({ ambition: 'bespoke' }),
      levels: levels([3, 3, 2, 2, 3]),
    });
    expect(result.verdict).toBe('not-ready');
    expect(result.summary).toBe(
      'Not ready: three of the five capabilities are one level short of what a bespoke system needs, too many to meet as conditions.',
    );
    expect(result.conditions).toEqual([]);
    expect(result.blocking[0]?.explanation).toBe(
      'One level short, but three of the five capabilities fall short: too many to meet as conditions, because the capabilities depend on one another (section 3).',
    );
  });

  it('counts "fewer than half" exactly: two of four capabilities short is too many', () => {
    // A body's own framework with four organisation-level capabilities, and a table to match.
    const framework = loadFramework({
      ...hoskins2025,
      id: 'four-capabilities',
      capabilities: hoskins2025.capabilities.filter((c) => c.id !== 'managing-supplier-relations'),
    });
    const withoutSuppliers = (requirements: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(requirements).filter(([id]) => id !== 'managing-supplier-relations'),
      );
    const table = parseReadinessTableOrThrow(
      {
        ...defaultDocument,
        framework: 'four-capabilities',
        ambitions: Object.fromEntries(
          Object.entries(defaultDocument.ambitions).map(([id, tier]) => [
            id,
            { ...tier, requirements: withoutSuppliers(tier.requirements) },
          ]),
        ),
        rules: defaultDocument.rules.filter(
          (rule) => !Object.keys(rule.requirements).includes('managing-supplier-relations'),
        ),
      },
      framework,
    );
    const run = (values: (1 | 2 | 3)[]) =>
      assessReadiness({
        initiative: initiative({ ambition: 'bespoke' }),
        levels: levels(values),
        table,
        framework,
      });
    expect(run([2, 3, 2, 2]).verdict).toBe('ready-with-conditions');
    expect(run([3, 3, 2, 2]).summary).toBe(
      'Not ready: two of the four capabilities are one level short of what a bespoke system needs, too many to meet as conditions.',
    );
  });

  it('refuses a condition when a rule protecting people names the capability, even one level short', () => {
    const result = assessReadiness({ initiative: bespokePublic, levels: levels([2, 2, 2, 3, 2]) });
    expect(result.verdict).toBe('not-ready');
    expect(result.summary).toBe(
      'Not ready: Managing Risk is at 3 Adequate, one level short of the Good (2) that a bespoke system affecting the public needs, and this shortfall cannot be a condition because the requirement protects people from harm.',
    );
    expect(result.blocking[0]?.explanation).toBe(
      'One level short, and the requirement protects people from harm (an initiative affecting the public, section 2.1), so the shortfall cannot be accepted as a condition.',
    );
    // The same shortfall for a staff-only bespoke system is a condition.
    const staffOnly = assessReadiness({
      initiative: initiative({ ambition: 'bespoke' }),
      levels: levels([2, 2, 2, 3, 2]),
    });
    expect(staffOnly.verdict).toBe('ready-with-conditions');
  });

  it('among equal gaps, names first the capability that protects people', () => {
    const result = assessReadiness({ initiative: bespokePublic, levels: levels([2, 2, 3, 3, 2]) });
    // New Ways of Working comes before Managing Risk in the paper, but only Risk protects people here.
    expect(result.blocking.map((b) => [b.capabilityId, b.critical])).toEqual([
      ['managing-risk', true],
      ['developing-new-ways-of-working', false],
    ]);
    expect(result.summary).toMatch(/^Not ready: Managing Risk is at 3 Adequate, one level short/);
    expect(result.summary).toMatch(/One other capability also falls short\.$/);
  });

  it('counts a capability nobody rated as unknown, so the initiative cannot be ready', () => {
    const result = assessReadiness({
      initiative: initiative(),
      levels: levels([3, 3, 3, null, 3]),
    });
    expect(result.verdict).toBe('not-ready');
    expect(result.summary).toBe(
      'Not ready: nobody rated Managing Risk, so it cannot count as ready (a pilot needs Adequate (3) or better).',
    );
    expect(byId(result, 'managing-risk')).toMatchObject({
      status: 'unknown',
      actualLevel: null,
      source: null,
      gap: null,
      explanation:
        'Nobody rated Managing Risk, so its level is unknown; a pilot needs Adequate (3) or better.',
    });
    expect(result.blocking).toEqual([
      expect.objectContaining({ capabilityId: 'managing-risk', gap: null, firstActions: null }),
    ]);
    expect(result.levels.map((l) => l.capabilityId)).not.toContain('managing-risk');
  });

  it('names a wide gap first and the unrated capabilities after it', () => {
    const result = assessReadiness({
      initiative: bespokePublic,
      levels: levels([4, 2, null, 3, 3]),
    });
    // Learning 2 short; Risk 1 short and protecting people; Suppliers 1 short; Ways unrated.
    expect(result.blocking.map((b) => [b.capabilityId, b.gap])).toEqual([
      ['organisational-learning', 2],
      ['managing-risk', 1],
      ['managing-supplier-relations', 1],
      ['developing-new-ways-of-working', null],
    ]);
    expect(result.summary).toBe(
      'Not ready: Organisational Learning is at 4 Needs Improvement, two levels short of the Good (2) that a bespoke system needs. Two other capabilities also fall short. Nobody rated Developing New Ways of Working.',
    );
  });

  it('says there is no assessment when no capability has a level', () => {
    for (const given of [
      [],
      // A sector-level capability says nothing about the organisation's own readiness.
      [{ capabilityId: 'governing-failure', level: 2 as const, source: 'median' as const }],
    ]) {
      const result = assessReadiness({ initiative: initiative(), levels: given });
      expect(result.verdict).toBe('no-assessment');
      expect(result.summary).toBe(
        'No assessment: none of the five organisation-level capabilities has a level yet, so readiness cannot be judged. Run an organisation-level assessment first.',
      );
      expect(result.levels).toEqual([]);
    }
  });

  it('carries where each level came from into the explanation', () => {
    const result = assessReadiness({
      initiative: initiative(),
      levels: levels([3, 2, 3, 3, 3], ['planning-and-prioritisation']),
    });
    expect(byId(result, 'planning-and-prioritisation')).toMatchObject({
      source: 'agreed',
      gap: 0,
      explanation:
        'Planning & Prioritisation is at 2 Good (agreed in moderation), better than the Adequate (3) that a pilot needs.',
    });
    expect(byId(result, 'managing-risk').explanation).toBe(
      "Managing Risk is at 3 Adequate (respondents' median), meeting the Adequate (3) that a pilot needs.",
    );
  });
});

describe('assessReadiness: the risk rules', () => {
  const required = (changes: Parameters<typeof initiative>[0]) =>
    assessReadiness({
      initiative: initiative(changes),
      levels: levels([3, 3, 3, 3, 3]),
    }).capabilities.map((c) => c.requiredLevel);

  it('leaves a staff pilot at Adequate and raises Managing Risk to Good for the public', () => {
    expect(required({})).toEqual([3, 3, 3, 3, 3]);
    expect(required({ affects: ['public'] })).toEqual([3, 3, 3, 2, 3]);
  });

  it('raises Managing Risk and New Ways of Working for vulnerable people (the public rule applies too)', () => {
    const result = assessReadiness({
      initiative: initiative({ affects: ['vulnerable'] }),
      levels: levels([3, 3, 3, 3, 3]),
    });
    expect(result.capabilities.map((c) => c.requiredLevel)).toEqual([3, 3, 2, 2, 3]);
    expect(result.rulesApplied.map((r) => r.id)).toEqual(['affects-public', 'affects-vulnerable']);
    expect(byId(result, 'managing-risk').requiredFor).toBe(
      'a pilot affecting the public and affecting vulnerable people',
    );
  });

  it('raises Managing Risk for special-category and criminal-offence data', () => {
    const data = {
      personal: true,
      specialCategory: false,
      criminalOffence: false,
      description: '',
    };
    expect(required({ data })).toEqual([3, 3, 3, 3, 3]);
    expect(required({ data: { ...data, specialCategory: true } })).toEqual([3, 3, 3, 2, 3]);
    expect(required({ data: { ...data, criminalOffence: true } })).toEqual([3, 3, 3, 2, 3]);
  });

  it('raises Managing Risk and Learning for decisions about people, and Risk to Outstanding when they are automated', () => {
    expect(required({ decisionsAboutPeople: true })).toEqual([2, 3, 3, 2, 3]);
    expect(required({ automatedDecisions: true })).toEqual([3, 3, 3, 2, 3]);
    const result = assessReadiness({
      initiative: initiative({ decisionsAboutPeople: true, automatedDecisions: true }),
      levels: levels([2, 3, 3, 2, 3]),
    });
    const risk = byId(result, 'managing-risk');
    expect(risk.requiredLevel).toBe(1);
    expect(risk.requirements.filter((r) => r.binding).map((r) => r.id)).toEqual([
      'automated-decisions-about-people',
    ]);
    expect(risk.requiredFor).toBe('a pilot deciding about people without human review');
    expect(result.verdict).toBe('not-ready');
  });

  it('raises Supplier Relations for several suppliers, and for one contract with no exit plan', () => {
    const lockIn = {
      dataPortability: false,
      openFormats: false,
      exitPlan: false,
      modelOwner: 'supplier' as const,
    };
    expect(
      required({ supplier: { arrangement: 'modular-multi-supplier', suppliers: 'A, B', lockIn } }),
    ).toEqual([3, 3, 3, 3, 2]);
    expect(
      required({ supplier: { arrangement: 'single-end-to-end', suppliers: 'A', lockIn } }),
    ).toEqual([3, 3, 3, 3, 2]);
    expect(
      required({
        supplier: {
          arrangement: 'single-end-to-end',
          suppliers: 'A',
          lockIn: { ...lockIn, exitPlan: true },
        },
      }),
    ).toEqual([3, 3, 3, 3, 3]);
    // These rules guard against operational failure, so a one-level shortfall is a condition.
    const result = assessReadiness({
      initiative: initiative({
        supplier: { arrangement: 'modular-multi-supplier', suppliers: 'A, B', lockIn },
      }),
      levels: levels([3, 3, 3, 3, 3]),
    });
    expect(result.verdict).toBe('ready-with-conditions');
    expect(result.summary).toBe(
      'Ready with conditions: Managing Supplier Relations is at 3 Adequate, one level short of the Good (2) that a pilot with several suppliers needs. Meet this condition before approval.',
    );
  });

  it('asks a system-wide change for Outstanding planning and new ways of working', () => {
    expect(required({ ambition: 'system-wide' })).toEqual([2, 1, 1, 2, 2]);
    expect(required({ ambition: 'bespoke' })).toEqual([2, 2, 2, 2, 2]);
  });

  it('keeps the ambition as a reason when a rule is stricter, marked as not binding', () => {
    const result = assessReadiness({
      initiative: initiative({ affects: ['public'] }),
      levels: levels([3, 3, 3, 2, 3]),
    });
    expect(
      byId(result, 'managing-risk').requirements.map((r) => [r.id, r.level, r.binding, r.text]),
    ).toEqual([
      ['pilot', 3, false, 'A pilot needs Adequate (3) or better.'],
      ['affects-public', 2, true, 'An initiative affecting the public needs Good (2) or better.'],
    ]);
    expect(result.verdict).toBe('ready');
    expect(result.summary).toBe(
      'Ready: all five capabilities are at or better than the levels that a pilot affecting the public needs.',
    );
  });

  it('applies an edited table, including a rule on the AI competency', () => {
    const edited = parseReadinessTableOrThrow({
      ...defaultDocument,
      version: '1.1.0',
      rules: [
        ...defaultDocument.rules,
        {
          id: 'large-language-models',
          when: ['large-language-models'],
          phrase: 'using a large language model',
          description: 'It uses a large language model.',
          guardsAgainst: 'operational-failure',
          requirements: {
            'organisational-learning': {
              level: 2,
              reason: 'Fabricated output must be caught by review (section 2.1).',
              source: 'section 2.1',
            },
          },
        },
      ],
    });
    const run = (competency: 'large-language-models' | 'chatbots') =>
      assessReadiness({
        initiative: initiative({ competency }),
        levels: levels([3, 3, 3, 3, 3]),
        table: edited,
      });
    expect(run('large-language-models').capabilities[0]?.requiredLevel).toBe(2);
    expect(run('large-language-models').table.version).toBe('1.1.0');
    expect(run('chatbots').capabilities[0]?.requiredLevel).toBe(3);
    expect(DEFAULT_READINESS_TABLE.version).toBe('1.0.0');
  });
});

describe('assessReadiness: bad input', () => {
  it('refuses two levels for one capability, a level outside 1–5 and an unknown capability', () => {
    const run = (given: unknown) =>
      assessReadiness({ initiative: initiative(), levels: given as [] });
    expect(() => run([...levels([3]), ...levels([2])])).toThrow(
      'Two levels given for "organisational-learning"; pass one level per capability (the agreed level, else the median)',
    );
    expect(() => run([{ capabilityId: 'managing-risk', level: 6, source: 'median' }])).toThrow(
      'The level of "managing-risk" is 6; a level is a whole number from 1 (Outstanding) to 5 (Inadequate)',
    );
    expect(() => run([{ capabilityId: 'managing-risks', level: 2, source: 'median' }])).toThrow(
      'Unknown capability "managing-risks" in the levels; framework "hoskins-2025" has no such capability',
    );
    expect(() => run([{ capabilityId: 'managing-risk', level: 2, source: 'guess' }])).toThrow(
      'The level of "managing-risk" comes from "guess"; the source must be "agreed" or "median"',
    );
  });

  it('refuses an unknown ambition', () => {
    expect(() =>
      assessReadiness({
        initiative: initiative({ ambition: 'moonshot' as 'pilot' }),
        levels: levels([3, 3, 3, 3, 3]),
      }),
    ).toThrow('Unknown ambition "moonshot"; expected one of pilot, bespoke, system-wide');
  });
});
