// Tests for the framework data (Hoskins 2025, sections 3–4, appendix Tables 1–5) and its loader.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  capabilitiesByScope,
  compareFrameworkVersions,
  defaultFramework,
  findIndicator,
  frameworkDocumentSchema,
  FrameworkValidationError,
  getCapability,
  isBetter,
  isMaturityLevel,
  levelLabel,
  levelName,
  loadFramework,
  MATURITY_LEVELS,
} from './index.ts';
import type { FrameworkDocument, MaturityLevel } from './index.ts';

const fw = defaultFramework;

/** A mutable copy of the default document for building broken variants. */
function variant(): FrameworkDocument {
  return structuredClone(fw.document);
}

function issuesOf(raw: unknown): readonly string[] {
  try {
    loadFramework(raw);
  } catch (error) {
    if (error instanceof FrameworkValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected loadFramework to reject the document');
}

function capabilityIndex(doc: FrameworkDocument, id: string): number {
  const index = doc.capabilities.findIndex((capability) => capability.id === id);
  if (index < 0) throw new Error(`no capability ${id}`);
  return index;
}

function capabilityAt(doc: FrameworkDocument, index: number) {
  const capability = doc.capabilities[index];
  if (!capability) throw new Error(`no capability at ${index}`);
  return capability;
}

// The paper's numbering, names, sections and appendix tables (note Table 2 lists Managing Risk first).
const EXPECTED = [
  [1, 'organisational-learning', 'Organisational Learning', 'organisation', '3.1', 'Table 1'],
  [2, 'planning-and-prioritisation', 'Planning & Prioritisation', 'organisation', '3.2', 'Table 1'],
  [
    3,
    'developing-new-ways-of-working',
    'Developing New Ways of Working',
    'organisation',
    '3.3',
    'Table 2',
  ],
  [4, 'managing-risk', 'Managing Risk', 'organisation', '3.4', 'Table 2'],
  [
    5,
    'managing-supplier-relations',
    'Managing Supplier Relations',
    'organisation',
    '3.5',
    'Table 2',
  ],
  [
    6,
    'strengthening-innovation-networks',
    'Strengthening Innovation Networks',
    'sector',
    '4.1',
    'Table 3',
  ],
  [
    7,
    'clarity-on-collaborative-performance',
    'Providing Clarity on Collaborative Performance',
    'sector',
    '4.2',
    'Table 3',
  ],
  [
    8,
    'funding-and-coordinating-research',
    'Funding & Co-ordinating Research',
    'sector',
    '4.3',
    'Table 4',
  ],
  [9, 'governing-failure', 'Governing Failure', 'sector', '4.4', 'Table 4'],
  [
    10,
    'maintaining-pressure-for-productivity',
    'Maintaining Pressure for Productivity Improvement',
    'sector',
    '4.5',
    'Table 5',
  ],
  [11, 'flow-of-human-capital', 'Ensuring a Flow of Human Capital', 'sector', '4.6', 'Table 5'],
  [
    12,
    'standardising-and-scaling-best-practice',
    'Standardising & Scaling Best Practice',
    'sector',
    '4.7',
    'Table 5',
  ],
] as const;

const SCOPE_LABELS = {
  organisation: [
    'Proactive, Culturally Embedded',
    'Formalised, Consistent',
    'Ad-hoc, Inconsistent',
    'Informal, Siloed',
    'Absent, Counter-Productive',
  ],
  sector: [
    'Co-ordinated Ecosystem',
    'Active but Fragmented',
    'Pockets of Activity',
    'Passive & Aspirational',
    'Systemic Vacuum',
  ],
} as const;

describe('the default framework (Hoskins 2025)', () => {
  it('identifies itself and its source', () => {
    expect(fw.id).toBe('hoskins-2025');
    expect(fw.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fw.document.schemaVersion).toBe(1);
    expect(fw.document.source.shortCitation).toBe('Hoskins (2025)');
    expect(fw.document.source.citation).toContain('Productivity Insights Paper No. 060');
  });

  it('holds twelve capabilities: five at organisation level and seven at sector level', () => {
    expect(fw.capabilities).toHaveLength(12);
    expect(capabilitiesByScope(fw, 'organisation').map((c) => c.number)).toEqual([1, 2, 3, 4, 5]);
    expect(capabilitiesByScope(fw, 'sector').map((c) => c.number)).toEqual([
      6, 7, 8, 9, 10, 11, 12,
    ]);
  });

  it.each(EXPECTED)(
    'capability %i is %s (%s), %s scope, section %s, %s',
    (number, id, name, scope, section, table) => {
      const capability = getCapability(fw, number);
      expect(capability).toMatchObject({ id, name, scope, section, table });
      expect(getCapability(fw, id)).toBe(capability);
    },
  );

  it('names the five levels best first, as the paper numbers them', () => {
    expect(fw.document.levels.map((level) => [level.number, level.name])).toEqual([
      [1, 'Outstanding'],
      [2, 'Good'],
      [3, 'Adequate'],
      [4, 'Needs Improvement'],
      [5, 'Inadequate'],
    ]);
  });

  it('uses the paper’s level labels for each scope', () => {
    for (const scope of ['organisation', 'sector'] as const) {
      const definition = fw.document.scopes.find((entry) => entry.id === scope);
      expect(definition).toBeDefined();
      expect(MATURITY_LEVELS.map((level) => definition?.levelLabels[level])).toEqual(
        SCOPE_LABELS[scope],
      );
    }
    expect(levelLabel(fw, 'organisation', 1)).toBe('Outstanding (Proactive, Culturally Embedded)');
    expect(levelLabel(fw, 'sector', 4)).toBe('Needs Improvement (Passive & Aspirational)');
    expect(levelLabel(fw, 'sector', 5)).toBe('Inadequate (Systemic Vacuum)');
  });

  it('maps each scope to the appendix tables that hold it', () => {
    const tables = Object.fromEntries(fw.document.scopes.map((scope) => [scope.id, scope.tables]));
    expect(tables).toEqual({
      organisation: ['Table 1', 'Table 2'],
      sector: ['Table 3', 'Table 4', 'Table 5'],
    });
  });

  it('gives every capability each level once, in order, with 3–8 indicators', () => {
    for (const capability of fw.capabilities) {
      expect(
        capability.levels.map((level) => level.level),
        capability.id,
      ).toEqual([1, 2, 3, 4, 5]);
      for (const level of capability.levels) {
        const where = `${capability.id} level ${level.level}`;
        expect(level.description.length, where).toBeGreaterThan(20);
        expect(level.indicators.length, where).toBeGreaterThanOrEqual(3);
        expect(level.indicators.length, where).toBeLessThanOrEqual(8);
      }
    }
  });

  it('cites, for every indicator, its capability’s own table', () => {
    for (const capability of fw.capabilities) {
      const scope = fw.document.scopes.find((entry) => entry.id === capability.scope);
      for (const level of capability.levels) {
        for (const indicator of level.indicators) {
          expect(indicator.source, indicator.id).toBe(capability.table);
          expect(scope?.tables, indicator.id).toContain(indicator.source);
        }
      }
    }
  });

  it('numbers indicator ids <capability>.<level>.<n> from 1, unique across the document', () => {
    const seen = new Set<string>();
    for (const capability of fw.capabilities) {
      for (const level of capability.levels) {
        level.indicators.forEach((indicator, n) => {
          expect(indicator.id).toBe(`${capability.id}.${level.level}.${n + 1}`);
          expect(seen.has(indicator.id), indicator.id).toBe(false);
          seen.add(indicator.id);
        });
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(12 * 5 * 3);
  });

  it('keeps published ids stable', () => {
    // Stored assessments refer to these; changing them silently would orphan old rounds.
    expect(findIndicator(fw, 'organisational-learning.2.1')?.indicator.text).toBe(
      'Post-project reviews are standard and combine discussion with data analysis',
    );
    expect(findIndicator(fw, 'planning-and-prioritisation.2.2')?.indicator.text).toMatch(
      /business case must name the bottleneck/,
    );
    expect(findIndicator(fw, 'governing-failure.2.2')?.indicator.text).toMatch(/triage/);
    expect(findIndicator(fw, 'managing-risk.5.3')).toMatchObject({ level: 5 });
    expect(findIndicator(fw, 'managing-risk.9.1')).toBeUndefined();
  });

  it('keeps indicators short, without full stops', () => {
    const all = fw.capabilities.flatMap((c) => c.levels.flatMap((l) => l.indicators));
    for (const indicator of all) {
      expect(indicator.text.length, indicator.id).toBeLessThanOrEqual(140);
      expect(indicator.text, indicator.id).not.toMatch(/\.$/);
    }
  });

  it('is written in British English', () => {
    // -ize/-yze endings and -or/-er words that British English spells otherwise.
    const american =
      /\b\w{3,}[iy]z(?:e|es|ed|ing|ation|ations)\b|\b(?:behaviou?rs?|favor\w*|labor|center|centers|program)\b/i;
    const texts = [
      ...fw.document.levels.map((level) => level.summary),
      ...fw.document.scopes.map((scope) => scope.description),
      ...fw.capabilities.flatMap((c) => [
        c.summary,
        c.whyItMatters,
        ...c.prerequisites.map((p) => p.reason),
        ...c.levels.flatMap((l) => [l.description, ...l.indicators.map((i) => i.text)]),
      ]),
    ];
    const offending = texts
      .map((text) => american.exec(text)?.[0])
      .filter((word) => word !== undefined && !/^behaviours?$/i.test(word));
    expect(offending).toEqual([]);
  });

  it('links prerequisites the paper states, with a reason and a section', () => {
    const planning = getCapability(fw, 'planning-and-prioritisation');
    expect(planning?.prerequisites.map((p) => p.capabilityId)).toContain('organisational-learning');
    for (const capability of fw.capabilities) {
      for (const prerequisite of capability.prerequisites) {
        expect(getCapability(fw, prerequisite.capabilityId)).toBeDefined();
        expect(prerequisite.reason.length).toBeGreaterThan(20);
        expect(prerequisite.section).toMatch(/^\d(\.\d)?$/);
      }
    }
  });

  it('is frozen', () => {
    const capability = fw.capabilities[0];
    expect(Object.isFrozen(fw)).toBe(true);
    expect(Object.isFrozen(fw.document.capabilities)).toBe(true);
    expect(Object.isFrozen(capability?.levels[0]?.indicators[0])).toBe(true);
    expect(() => {
      (fw.capabilities as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('converts to JSON Schema for the OpenAPI document', () => {
    const schema = z.toJSONSchema(frameworkDocumentSchema) as { $defs?: Record<string, unknown> };
    expect(Object.keys(schema.$defs ?? {})).toEqual(
      expect.arrayContaining(['FrameworkDocument', 'FrameworkCapability', 'FrameworkIndicator']),
    );
  });
});

describe('levels', () => {
  it('treats the lower number as the better level', () => {
    expect(isBetter(1, 2)).toBe(true);
    expect(isBetter(2, 1)).toBe(false);
    expect(isBetter(3, 3)).toBe(false);
    expect(isBetter(4, 5)).toBe(true);
  });

  it('names levels as the paper does', () => {
    expect(MATURITY_LEVELS.map((level) => levelName(level))).toEqual([
      'Outstanding',
      'Good',
      'Adequate',
      'Needs Improvement',
      'Inadequate',
    ]);
  });

  it('recognises maturity levels', () => {
    expect([0, 1, 5, 6, 2.5, '1'].map(isMaturityLevel)).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('loadFramework rejects broken variants', () => {
  it('accepts an untouched copy', () => {
    expect(loadFramework(variant()).capabilities).toHaveLength(12);
  });

  it('rejects a capability with a missing level', () => {
    const doc = variant();
    const index = capabilityIndex(doc, 'managing-risk');
    capabilityAt(doc, index).levels.splice(2, 1);
    expect(issuesOf(doc)).toContain(`capabilities[${index}].levels: expected 5 levels, found 4`);
  });

  it('rejects a level listed twice in place of another', () => {
    const doc = variant();
    const capability = capabilityAt(doc, 0);
    const second = capability.levels[1];
    if (second) second.level = 1;
    const issues = issuesOf(doc);
    expect(issues.slice(0, 2)).toEqual([
      'capabilities[0].levels[1].level: level 1 appears more than once',
      'capabilities[0].levels: missing level 2',
    ]);
    // Its indicators now sit under the wrong level, which is reported too.
    expect(issues[2]).toMatch(
      /^capabilities\[0\]\.levels\[1\]\.indicators\[0\]\.id: "organisational-learning\.2\.1" must be "organisational-learning\.1\.<n>"/,
    );
  });

  it('rejects a level with only two indicators', () => {
    const doc = variant();
    const level = capabilityAt(doc, 3).levels[2];
    level?.indicators.splice(2);
    expect(issuesOf(doc)).toEqual([
      'capabilities[3].levels[2].indicators: expected 3–8 indicators, found 2',
    ]);
  });

  it('rejects a level with nine indicators', () => {
    const doc = variant();
    const level = capabilityAt(doc, 0).levels[0];
    if (!level) throw new Error('no level');
    while (level.indicators.length < 9) {
      const n = level.indicators.length + 1;
      level.indicators.push({ id: `organisational-learning.1.${n}`, text: 'x', source: 'Table 1' });
    }
    expect(issuesOf(doc)).toEqual([
      'capabilities[0].levels[0].indicators: expected 3–8 indicators, found 9',
    ]);
  });

  it('rejects a duplicate capability id and number', () => {
    const doc = variant();
    const copy = structuredClone(capabilityAt(doc, 0));
    doc.capabilities.push(copy);
    const issues = issuesOf(doc);
    expect(issues).toContain(
      'capabilities[12].id: duplicate capability id "organisational-learning" (also capabilities[0])',
    );
    expect(issues).toContain(
      'capabilities[12].number: duplicate capability number 1 (also capabilities[0])',
    );
  });

  it('rejects a duplicate indicator id', () => {
    const doc = variant();
    const indicators = capabilityAt(doc, 1).levels[0]?.indicators;
    const first = indicators?.[0];
    const second = indicators?.[1];
    if (!first || !second) throw new Error('no indicators');
    second.id = first.id;
    expect(issuesOf(doc)).toEqual([
      'capabilities[1].levels[0].indicators[1].id: duplicate indicator id "planning-and-prioritisation.1.1" (also capabilities[1].levels[0].indicators[0])',
    ]);
  });

  it('rejects an indicator id that does not name its capability and level', () => {
    const doc = variant();
    const indicator = capabilityAt(doc, 4).levels[1]?.indicators[0];
    if (!indicator) throw new Error('no indicator');
    indicator.id = 'managing-supplier-relations.3.99';
    expect(issuesOf(doc)).toEqual([
      'capabilities[4].levels[1].indicators[0].id: "managing-supplier-relations.3.99" must be "managing-supplier-relations.2.<n>" (capability id, level, then a number or slug)',
    ]);
  });

  it('accepts a body’s own indicator with a slug suffix', () => {
    const doc = variant();
    capabilityAt(doc, 0).levels[0]?.indicators.push({
      id: 'organisational-learning.1.local-board-review',
      text: 'The board reviews lessons quarterly',
      source: 'Table 1',
    });
    expect(
      findIndicator(loadFramework(doc), 'organisational-learning.1.local-board-review'),
    ).toBeDefined();
  });

  it('rejects a capability id that is not a slug', () => {
    const doc = variant();
    capabilityAt(doc, 2).id = 'New Ways';
    const issues = issuesOf(doc);
    expect(issues).toContain(
      'capabilities[2].id: must be a lower-case slug such as "managing-risk"',
    );
  });

  it('rejects an unknown prerequisite', () => {
    const doc = variant();
    const index = capabilityIndex(doc, 'planning-and-prioritisation');
    capabilityAt(doc, index).prerequisites = [
      { capabilityId: 'organisational-learnin', reason: 'a typo', section: '3' },
    ];
    expect(issuesOf(doc)).toEqual([
      `capabilities[${index}].prerequisites[0].capabilityId: unknown capability "organisational-learnin"`,
    ]);
  });

  it('rejects a cycle of prerequisites', () => {
    const doc = variant();
    capabilityAt(doc, 0).prerequisites.push({
      capabilityId: 'planning-and-prioritisation',
      reason: 'a loop',
      section: '3',
    });
    const issues = issuesOf(doc);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^capabilities\[\d+\]\.prerequisites: prerequisites form a cycle: /);
    expect(issues[0]).toContain('organisational-learning');
    expect(issues[0]).toContain('planning-and-prioritisation');
  });

  it('rejects a capability that is its own prerequisite', () => {
    const doc = variant();
    capabilityAt(doc, 3).prerequisites.push({
      capabilityId: 'managing-risk',
      reason: 'itself',
      section: '3.4',
    });
    expect(issuesOf(doc)).toEqual([
      'capabilities[3].prerequisites[0].capabilityId: "managing-risk" cannot be its own prerequisite',
    ]);
  });

  it('rejects a scope without a label for every level', () => {
    const doc = variant();
    const labels = doc.scopes[1]?.levelLabels as Record<string, string> | undefined;
    if (labels) delete labels['3'];
    expect(issuesOf(doc)).toEqual([expect.stringMatching(/^scopes\[1\]\.levelLabels\.3: /)]);
  });

  it('rejects an empty scope label', () => {
    const doc = variant();
    const scope = doc.scopes[0];
    if (scope) scope.levelLabels['2'] = '  ';
    expect(issuesOf(doc)).toEqual([expect.stringMatching(/^scopes\[0\]\.levelLabels\.2: /)]);
  });

  it('rejects a capability in an unknown scope', () => {
    const doc = variant() as unknown as { capabilities: { scope: string }[] };
    const capability = doc.capabilities[6];
    if (capability) capability.scope = 'region';
    expect(issuesOf(doc)).toEqual([expect.stringMatching(/^capabilities\[6\]\.scope: /)]);
  });

  it('rejects a document missing a scope definition', () => {
    const doc = variant();
    doc.scopes = doc.scopes.filter((scope) => scope.id !== 'sector');
    const issues = issuesOf(doc);
    expect(issues).toContain('scopes: missing scope "sector"');
    expect(issues).toContain('capabilities[5].scope: scope "sector" is not defined in scopes');
  });

  it('rejects an indicator citing a table from another scope', () => {
    const doc = variant();
    const indicator = capabilityAt(doc, 0).levels[4]?.indicators[2];
    if (!indicator) throw new Error('no indicator');
    indicator.source = 'Table 4';
    expect(issuesOf(doc)).toEqual([
      'capabilities[0].levels[4].indicators[2].source: "Table 4" is not one of the organisation scope\'s tables (Table 1, Table 2)',
    ]);
  });

  it('rejects a capability table outside its scope', () => {
    const doc = variant();
    capabilityAt(doc, 8).table = 'Table 2';
    expect(issuesOf(doc)).toContain(
      'capabilities[8].table: "Table 2" is not one of the sector scope\'s tables (Table 3, Table 4, Table 5)',
    );
  });

  it('rejects an unsupported schemaVersion', () => {
    const doc = variant();
    doc.schemaVersion = 99;
    expect(issuesOf(doc)).toEqual(['schemaVersion: unsupported version 99; this build reads 1']);
  });

  it('rejects a missing or repeated framework level', () => {
    const doc = variant();
    const last = doc.levels[4];
    if (last) last.number = 4;
    expect(issuesOf(doc)).toEqual([
      'levels[4].number: level 4 appears more than once',
      'levels: missing level 5',
    ]);
  });

  it('rejects unknown fields, so that typos in a variant are caught', () => {
    const doc = { ...variant(), capabilites: [] };
    expect(issuesOf(doc)).toEqual(['(document): unknown field "capabilites"']);
  });

  it('rejects something that is not a document at all', () => {
    expect(issuesOf('hello')[0]).toMatch(/^\(document\): /);
    expect(issuesOf({})).toEqual(
      expect.arrayContaining([expect.stringMatching(/^capabilities: /)]),
    );
  });

  it('names an unsupported schemaVersion even when the structure is also wrong', () => {
    const doc = variant();
    doc.schemaVersion = 2;
    capabilityAt(doc, 3).levels[2]?.indicators.splice(2);
    expect(issuesOf(doc)).toEqual([
      'schemaVersion: unsupported version 2; this build reads 1',
      'capabilities[3].levels[2].indicators: expected 3–8 indicators, found 2',
    ]);
  });

  it('reports every problem at once and names them in the error message', () => {
    const doc = variant();
    doc.schemaVersion = 99;
    capabilityAt(doc, 11).prerequisites = [
      { capabilityId: 'nowhere', reason: 'missing', section: '4' },
    ];
    try {
      loadFramework(doc);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FrameworkValidationError);
      const { issues, message } = error as FrameworkValidationError;
      expect(issues).toHaveLength(2);
      expect(message).toContain('schemaVersion: unsupported version 99');
      expect(message).toContain('capabilities[11].prerequisites[0].capabilityId');
    }
  });
});

describe('compareFrameworkVersions', () => {
  it('finds nothing between a framework and itself', () => {
    const comparison = compareFrameworkVersions(fw, variant());
    expect(comparison.identical).toBe(true);
    expect(comparison.capabilities).toHaveLength(12);
    expect(comparison.capabilities.every((change) => change.status === 'unchanged')).toBe(true);
  });

  it('reports added, removed and reworded indicators per capability level', () => {
    const next = variant();
    next.version = '1.1.0';
    const risk = capabilityAt(next, capabilityIndex(next, 'managing-risk'));
    const good = risk.levels.find((level) => level.level === 2);
    if (!good?.indicators[0]) throw new Error('no level');
    good.indicators[0].text = 'A written risk framework names who owns which risk';
    good.indicators.splice(4, 1);
    good.indicators.push({
      id: 'managing-risk.2.6',
      text: 'Risk appetite is written down',
      source: 'Table 2',
    });
    const adequate = risk.levels.find((level) => level.level === 3);
    if (adequate) adequate.description = 'Reworded.';

    const comparison = compareFrameworkVersions(fw, next);
    expect(comparison.identical).toBe(false);
    expect(comparison.from).toEqual({ id: 'hoskins-2025', version: fw.version });
    expect(comparison.to.version).toBe('1.1.0');
    const change = comparison.capabilities.find((c) => c.capabilityId === 'managing-risk');
    expect(change).toEqual({
      capabilityId: 'managing-risk',
      status: 'changed',
      fieldsChanged: [],
      levels: [
        {
          level: 2,
          descriptionChanged: false,
          addedIndicators: ['managing-risk.2.6'],
          removedIndicators: ['managing-risk.2.5'],
          changedIndicators: ['managing-risk.2.1'],
        },
        {
          level: 3,
          descriptionChanged: true,
          addedIndicators: [],
          removedIndicators: [],
          changedIndicators: [],
        },
      ],
    });
    const others = comparison.capabilities.filter((c) => c.capabilityId !== 'managing-risk');
    expect(others.every((c) => c.status === 'unchanged')).toBe(true);
  });

  it('reports renamed fields, and added and removed capabilities by id', () => {
    const next = variant();
    const governing = capabilityAt(next, capabilityIndex(next, 'governing-failure'));
    governing.name = 'Governing Failure Justly';
    next.capabilities = next.capabilities.filter((c) => c.id !== 'flow-of-human-capital');
    const extra = structuredClone(capabilityAt(next, 0));
    extra.id = 'local-capability';
    next.capabilities.push(extra);

    const comparison = compareFrameworkVersions(fw, next);
    const byId = new Map(comparison.capabilities.map((c) => [c.capabilityId, c]));
    expect(byId.get('governing-failure')).toMatchObject({
      status: 'changed',
      fieldsChanged: ['name'],
    });
    expect(byId.get('flow-of-human-capital')?.status).toBe('removed');
    expect(byId.get('flow-of-human-capital')?.levels[0]?.removedIndicators).toContain(
      'flow-of-human-capital.1.1',
    );
    expect(byId.get('local-capability')?.status).toBe('added');
    expect(byId.get('local-capability')?.levels).toHaveLength(5);
  });
});

describe('lookups', () => {
  it('finds capabilities by id or number and nothing else', () => {
    expect(getCapability(fw, 4)?.id).toBe('managing-risk');
    expect(getCapability(fw, 'governing-failure')?.number).toBe(9);
    expect(getCapability(fw, 13)).toBeUndefined();
    expect(getCapability(fw, '4')).toBeUndefined();
  });

  it('locates an indicator with its capability and level', () => {
    const found = findIndicator(fw, 'flow-of-human-capital.3.2');
    expect(found?.capability.number).toBe(11);
    expect(found?.level satisfies MaturityLevel | undefined).toBe(3);
  });
});
