// The initiative input schema: defaults, limits, and messages a public servant can act on.
import { describe, expect, it } from 'vitest';
import {
  MAX_INVESTMENTS,
  MAX_POUNDS,
  initiativeInputJsonSchema,
  parseInitiativeFile,
  parseInitiativeInput,
} from './schema.ts';

/** The smallest initiative a client can send: only the parts with no default. */
const minimal = {
  title: 'Pilot: a chatbot for staff HR questions',
  problem: 'The HR desk answers the same questions every day.',
  competency: 'chatbots',
  ambition: 'pilot',
  affects: ['staff'],
  data: { personal: false, specialCategory: false, criminalOffence: false },
  supplier: { arrangement: 'single-end-to-end' },
  decisionsAboutPeople: false,
  automatedDecisions: false,
};

const investment = {
  kind: 'data',
  description: 'Tidy the policy pages',
  cost: 5000,
  owner: 'Head of HR',
};

function issuesOf(raw: unknown): { path: string; message: string }[] {
  const result = parseInitiativeInput(raw);
  if (result.ok) throw new Error('expected the input to be refused');
  return [...result.issues];
}

describe('parseInitiativeInput', () => {
  it('accepts a minimal initiative and fills in the defaults', () => {
    const result = parseInitiativeInput({ ...minimal, title: '  Padded title  ' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.initiative).toEqual({
      ...minimal,
      title: 'Padded title',
      chainId: null,
      stageId: null,
      data: { ...minimal.data, description: '' },
      typologyCells: [],
      technologyCost: 0,
      investments: [],
      waysOfWorking: { rolesThatChange: '', training: '', frontlineInvolvement: '' },
      supplier: {
        arrangement: 'single-end-to-end',
        suppliers: '',
        // The cautious answers until the user says otherwise (section 3.5).
        lockIn: {
          dataPortability: false,
          openFormats: false,
          exitPlan: false,
          modelOwner: 'unknown',
        },
      },
      authorisingNarrative: '',
    });
    expect(Object.isFrozen(result.initiative.supplier.lockIn)).toBe(true);
  });

  it('fills in the lock-in answers left out with the cautious ones', () => {
    const result = parseInitiativeInput({
      ...minimal,
      supplier: { arrangement: 'single-end-to-end', lockIn: { exitPlan: true } },
    });
    expect(result.ok && result.initiative.supplier.lockIn).toEqual({
      dataPortability: false,
      openFormats: false,
      exitPlan: true,
      modelOwner: 'unknown',
    });
  });

  it('treats an empty chain or stage (an unanswered form field) as none', () => {
    const result = parseInitiativeInput({ ...minimal, chainId: '', stageId: '  ' });
    expect(result.ok && [result.initiative.chainId, result.initiative.stageId]).toEqual([
      null,
      null,
    ]);
  });

  it('asks for every risk answer that has no default, one message each', () => {
    expect(issuesOf({})).toEqual([
      { path: 'title', message: 'Enter a title' },
      { path: 'problem', message: 'Describe the problem the initiative addresses' },
      {
        path: 'competency',
        message:
          'Select the AI competency (one of "computer-vision", "natural-language-processing", "speech-analytics", "predictive-analytics", "chatbots", "large-language-models")',
      },
      {
        path: 'ambition',
        message:
          'Select the ambition: a pilot, a bespoke system or a system-wide change (one of "pilot", "bespoke", "system-wide")',
      },
      {
        path: 'affects',
        message: 'Select who the initiative affects (any of "staff", "public", "vulnerable")',
      },
      { path: 'data', message: 'Say which data the initiative uses' },
      {
        path: 'supplier',
        message:
          'Say how the initiative is supplied (arrangement: one of "in-house", "single-end-to-end", "modular-multi-supplier")',
      },
      {
        path: 'decisionsAboutPeople',
        message:
          'Say whether it makes or informs decisions about individual people (true or false)',
      },
      {
        path: 'automatedDecisions',
        message: 'Say whether decisions are taken without meaningful human review (true or false)',
      },
    ]);
  });

  it('asks for each data answer on its own', () => {
    expect(issuesOf({ ...minimal, data: { personal: true } })).toEqual([
      {
        path: 'data.specialCategory',
        message:
          'Say whether it uses special-category data (health, ethnicity, religion, biometrics …) (true or false)',
      },
      {
        path: 'data.criminalOffence',
        message: 'Say whether it uses criminal-offence data (true or false)',
      },
    ]);
  });

  it('keeps titles to 200 characters and long texts to 5,000', () => {
    expect(parseInitiativeInput({ ...minimal, title: 'x'.repeat(200) }).ok).toBe(true);
    expect(issuesOf({ ...minimal, title: 'x'.repeat(201), problem: 'y'.repeat(5001) })).toEqual([
      { path: 'title', message: 'Title must be 200 characters or fewer' },
      { path: 'problem', message: 'Problem must be 5,000 characters or fewer' },
    ]);
    expect(issuesOf({ ...minimal, title: '   ' })).toEqual([
      { path: 'title', message: 'Enter a title' },
    ]);
  });

  it('takes costs in whole pounds from £0 to £10 billion', () => {
    const range = 'a whole number of pounds from £0 to £10,000,000,000';
    expect(parseInitiativeInput({ ...minimal, technologyCost: MAX_POUNDS }).ok).toBe(true);
    expect(parseInitiativeInput({ ...minimal, technologyCost: 0 }).ok).toBe(true);
    for (const bad of [-1, 12.5, MAX_POUNDS + 1]) {
      expect(issuesOf({ ...minimal, technologyCost: bad })).toEqual([
        { path: 'technologyCost', message: `Technology cost must be ${range}` },
      ]);
    }
    expect(issuesOf({ ...minimal, technologyCost: '25,000' })).toEqual([
      {
        path: 'technologyCost',
        message: 'Technology cost must be a number of pounds, such as 25000',
      },
    ]);
  });

  it('names the investment a problem is in', () => {
    const issues = issuesOf({
      ...minimal,
      investments: [investment, { ...investment, kind: 'buildings', cost: 99.5, owner: '' }],
    });
    expect(issues).toEqual([
      {
        path: 'investments.1.kind',
        message:
          'Investment 2: kind must be one of "data", "infrastructure", "skills", "process-redesign"',
      },
      {
        path: 'investments.1.cost',
        message: 'Investment 2: cost must be a whole number of pounds from £0 to £10,000,000,000',
      },
      { path: 'investments.1.owner', message: 'Investment 2: enter who owns the investment' },
    ]);
  });

  it('allows at most 20 investments', () => {
    const many = (n: number) => Array.from({ length: n }, () => investment);
    expect(parseInitiativeInput({ ...minimal, investments: many(MAX_INVESTMENTS) }).ok).toBe(true);
    expect(issuesOf({ ...minimal, investments: many(MAX_INVESTMENTS + 1) })).toEqual([
      {
        path: 'investments',
        message: 'List at most 20 complementary investments; group small ones together',
      },
    ]);
  });

  it('takes typology cells 1 to 6, each once', () => {
    const ok = parseInitiativeInput({ ...minimal, typologyCells: [5, 3, 1] });
    expect(ok.ok && ok.initiative.typologyCells).toEqual([5, 3, 1]);
    expect(issuesOf({ ...minimal, typologyCells: [5, 7, 0] })).toEqual([
      {
        path: 'typologyCells.1',
        message: 'Typology cell 2: must be a number from 1 to 6 (Figure 2)',
      },
      {
        path: 'typologyCells.2',
        message: 'Typology cell 3: must be a number from 1 to 6 (Figure 2)',
      },
    ]);
    expect(issuesOf({ ...minimal, typologyCells: [5, 5] })).toEqual([
      { path: 'typologyCells', message: 'List each typology cell once' },
    ]);
  });

  it('wants each affected group once and at least one', () => {
    expect(issuesOf({ ...minimal, affects: [] })[0]?.message).toBe(
      'Select who the initiative affects (any of "staff", "public", "vulnerable")',
    );
    expect(issuesOf({ ...minimal, affects: ['public', 'public'] })).toEqual([
      { path: 'affects', message: 'List each affected group once' },
    ]);
    expect(issuesOf({ ...minimal, affects: ['residents'] })).toEqual([
      {
        path: 'affects.0',
        message: 'Affected group 1: group must be one of "staff", "public", "vulnerable"',
      },
    ]);
  });

  it('checks fields against each other, alongside the other problems', () => {
    expect(
      issuesOf({
        ...minimal,
        title: '',
        stageId: 'manual-review',
        data: { personal: false, specialCategory: true, criminalOffence: false },
        supplier: { arrangement: 'in-house', suppliers: 'Acme Analytics' },
      }),
    ).toEqual([
      { path: 'title', message: 'Enter a title' },
      { path: 'stageId', message: 'A stage belongs to a delivery chain: choose the chain as well' },
      {
        path: 'data.personal',
        message:
          'Special-category and criminal-offence data are personal data: say that the initiative uses personal data',
      },
      {
        path: 'supplier.suppliers',
        message:
          'An in-house initiative has no suppliers: remove the supplier names or choose another arrangement',
      },
    ]);
    expect(
      parseInitiativeInput({ ...minimal, chainId: 'planning-permit', stageId: 'manual-review' }).ok,
    ).toBe(true);
  });

  it('refuses unknown fields, so a misspelt one is not silently dropped', () => {
    expect(issuesOf({ ...minimal, competancy: 'chatbots' })).toEqual([
      { path: '', message: 'Unknown field "competancy": check the spelling' },
    ]);
    expect(issuesOf({ ...minimal, supplier: { arrangement: 'in-house', exitplan: true } })).toEqual(
      [{ path: 'supplier', message: 'Unknown field "exitplan" in supplier: check the spelling' }],
    );
    expect(issuesOf({ ...minimal, investments: [{ ...investment, costs: 1 }] })).toEqual([
      { path: 'investments.0', message: 'Investment 1: unknown field "costs": check the spelling' },
    ]);
    // The lifecycle is changed through its own actions, not sent with the initiative.
    expect(issuesOf({ ...minimal, status: 'approved' })).toEqual([
      { path: '', message: 'Unknown field "status": check the spelling' },
    ]);
  });

  it('says when the input is not an object at all', () => {
    expect(issuesOf('a chatbot')).toEqual([
      { path: '', message: 'The initiative must be a JSON object' },
    ]);
  });

  it('publishes a JSON Schema with the limits', () => {
    const schema = initiativeInputJsonSchema() as {
      properties: { title: { maxLength: number } };
      required: string[];
    };
    expect(schema.properties.title.maxLength).toBe(200);
    expect(schema.required).toEqual(
      expect.arrayContaining(['title', 'ambition', 'data', 'supplier', 'automatedDecisions']),
    );
    expect(schema.required).not.toContain('investments');
  });
});

describe('parseInitiativeFile', () => {
  it('also takes an id and a status', () => {
    const result = parseInitiativeFile({ ...minimal, id: 'hr-chatbot', status: 'idea' });
    expect(result.ok && [result.initiative.id, result.initiative.status]).toEqual([
      'hr-chatbot',
      'idea',
    ]);
    expect(parseInitiativeFile(minimal).ok).toBe(true);
  });

  it('refuses an unknown status and an empty id, with the relation checks too', () => {
    const result = parseInitiativeFile({ ...minimal, id: ' ', status: 'done', stageId: 'x' });
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'id', message: 'Id must not be empty; leave it out instead' },
      {
        path: 'status',
        message:
          'Status must be one of "idea", "assessed", "approved", "in-delivery", "live", "evaluated", "stopped"',
      },
      { path: 'stageId', message: 'A stage belongs to a delivery chain: choose the chain as well' },
    ]);
  });
});
