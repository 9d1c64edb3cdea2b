import { describe, expect, it } from 'vitest';
import { screenDpia, dpiaAnswersFromInitiative } from './dpia.ts';
import type { DpiaRecord } from './dpia.ts';
import {
  DEFAULT_RISK_APPETITE,
  aboveAppetite,
  approvalBlockers,
  describeScore,
  draftRisksFromPreMortem,
  escalationList,
  ethicsReviewSchema,
  isIsoDate,
  overdueReviews,
  parseRiskAppetite,
  riskInputSchema,
  riskRating,
  riskScore,
  suggestRiskKind,
  suggestTitle,
} from './risks.ts';
import type { EthicsReview, Risk, RiskLevel } from './risks.ts';
import type { Initiative } from './types.ts';
import { sampleInitiative } from '../../../test/helpers/initiatives.ts';

function initiative(overrides: Partial<Initiative> = {}): Initiative {
  return sampleInitiative({
    id: 'i-1',
    title: 'Triage planning applications',
    problem: 'Planners are overwhelmed by complex applications.',
    competency: 'natural-language-processing',
    ambition: 'bespoke',
    typologyCells: [3],
    technologyCost: 40_000,
    status: 'assessed',
    ...overrides,
  });
}

function risk(overrides: Partial<Risk> & { likelihood: RiskLevel; impact: RiskLevel }): Risk {
  return {
    id: `r-${overrides.title ?? 'x'}`,
    initiativeId: 'i-1',
    kind: 'operational',
    title: 'A risk',
    description: '',
    owner: 'Head of Planning',
    mitigations: '',
    status: 'open',
    reviewDate: '2026-06-30',
    source: 'register',
    escalatedTo: null,
    ...overrides,
  };
}

describe('the 5×5 matrix', () => {
  it('scores likelihood × impact and puts every score in the NPSA band', () => {
    const cases: [RiskLevel, RiskLevel, number, string][] = [
      [1, 1, 1, 'low'],
      [1, 3, 3, 'low'],
      [2, 2, 4, 'moderate'],
      [2, 3, 6, 'moderate'],
      [2, 4, 8, 'high'],
      [3, 3, 9, 'high'],
      [3, 4, 12, 'high'],
      [3, 5, 15, 'extreme'],
      [4, 4, 16, 'extreme'],
      [5, 5, 25, 'extreme'],
    ];
    for (const [likelihood, impact, score, rating] of cases) {
      expect(riskScore({ likelihood, impact })).toBe(score);
      expect(riskRating(score).rating).toBe(rating);
    }
  });

  it('names both axes in the matrix’s words', () => {
    expect(describeScore({ likelihood: 3, impact: 4 })).toBe('Possible (3) × Major (4) = 12, High');
    expect(describeScore({ likelihood: 5, impact: 1 })).toBe(
      'Almost certain (5) × Negligible (1) = 5, Moderate',
    );
  });

  it('refuses scores no likelihood × impact can give, and levels outside 1–5', () => {
    for (const impossible of [0, 7, 11, 13, 14, 26, 2.5]) {
      expect(() => riskRating(impossible)).toThrow(/whole number from 1 to 25/);
    }
    expect(() => riskScore({ likelihood: 6 as RiskLevel, impact: 1 })).toThrow(
      'The likelihood of a risk is a whole number from 1 to 5; got 6',
    );
  });
});

describe('risk appetite', () => {
  it('an ethical risk scoring 9 is above the default appetite; the same score operational is within it', () => {
    const ethical = risk({ kind: 'ethical', likelihood: 3, impact: 3 });
    const operational = risk({ kind: 'operational', likelihood: 3, impact: 3 });
    expect(aboveAppetite(ethical, DEFAULT_RISK_APPETITE)).toBe(true);
    expect(aboveAppetite(operational, DEFAULT_RISK_APPETITE)).toBe(false);
    // At the limit is within it: 6 ethical, 12 operational.
    expect(
      aboveAppetite(risk({ kind: 'ethical', likelihood: 2, impact: 3 }), DEFAULT_RISK_APPETITE),
    ).toBe(false);
    expect(aboveAppetite(risk({ likelihood: 3, impact: 4 }), DEFAULT_RISK_APPETITE)).toBe(false);
    expect(aboveAppetite(risk({ likelihood: 3, impact: 5 }), DEFAULT_RISK_APPETITE)).toBe(true);
  });

  it('parses an appetite an admin sets, with specific messages', () => {
    expect(parseRiskAppetite({ version: 1, operational: 9, ethical: 4 })).toEqual({
      ok: true,
      appetite: { version: 1, operational: 9, ethical: 4 },
    });
    const bad = parseRiskAppetite({ version: 2, operational: 0, ethical: 4.5 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues).toEqual([
      { path: 'version', message: 'Unknown risk appetite format: expected version 1' },
      { path: 'operational', message: 'The operational appetite must be at least 1' },
      { path: 'ethical', message: 'The ethical appetite must be a whole number from 1 to 25' },
    ]);
  });
});

describe('escalationList', () => {
  const risks = [
    risk({ title: 'Biased triage', kind: 'ethical', likelihood: 3, impact: 3 }), // 9, 3 over 6
    risk({ title: 'Supplier lock-in', likelihood: 4, impact: 4 }), // 16, 4 over 12
    risk({ title: 'Wrong refusals', kind: 'ethical', likelihood: 2, impact: 5 }), // 10, 4 over 6
    risk({
      title: 'Old privacy risk',
      kind: 'ethical',
      likelihood: 5,
      impact: 5,
      status: 'closed',
    }),
    risk({ title: 'Slow adoption', likelihood: 3, impact: 4 }), // 12: at the appetite
    risk({ title: 'Data migration slips', likelihood: 3, impact: 5 }), // 15, 3 over 12
  ];

  it('lists risks above the appetite, furthest above first, closed ones left out', () => {
    const list = escalationList(risks, DEFAULT_RISK_APPETITE);
    expect(list.map((e) => [e.risk.title, e.excess])).toEqual([
      ['Supplier lock-in', 4], // same excess as "Wrong refusals", higher score
      ['Wrong refusals', 4], // further above its appetite than the higher-scoring migration risk
      ['Data migration slips', 3],
      ['Biased triage', 3],
    ]);
    expect(list[3]?.explanation).toBe(
      'Ethical risk “Biased triage” scores Possible (3) × Moderate (3) = 9, High: 3 above the ethical appetite of 6. ' +
        'Escalate it above the project, and reduce it or have it accepted there.',
    );
  });

  it('gives the same order whatever order the register is in', () => {
    const forward = escalationList(risks, DEFAULT_RISK_APPETITE).map((e) => e.risk.title);
    const backward = escalationList([...risks].reverse(), DEFAULT_RISK_APPETITE).map(
      (e) => e.risk.title,
    );
    expect(backward).toEqual(forward);
  });
});

describe('overdueReviews', () => {
  it('flags open reviews whose date has passed, most overdue first', () => {
    const list = overdueReviews(
      [
        risk({ title: 'Due today', likelihood: 1, impact: 1, reviewDate: '2026-03-10' }),
        risk({ title: 'Nine days late', likelihood: 1, impact: 1, reviewDate: '2026-03-01' }),
        risk({ title: 'Since last year', likelihood: 1, impact: 1, reviewDate: '2025-12-31' }),
        risk({
          title: 'Closed',
          likelihood: 1,
          impact: 1,
          reviewDate: '2020-01-01',
          status: 'closed',
        }),
      ],
      '2026-03-10',
    );
    expect(list.map((o) => [o.risk.title, o.daysOverdue])).toEqual([
      ['Since last year', 69],
      ['Nine days late', 9],
    ]);
  });

  it('says what is wrong with a bad date', () => {
    expect(() => overdueReviews([], '10/03/2026')).toThrow(
      '"today" must be a date written yyyy-mm-dd, such as 2026-03-31; got "10/03/2026"',
    );
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-3-01')).toBe(false);
  });
});

describe('riskInputSchema', () => {
  const form = {
    kind: 'ethical',
    title: '  Bias against older applicants ',
    description: '',
    likelihood: '3',
    impact: '4',
    owner: 'Head of Planning',
    mitigations: 'Test outcomes by age band every month',
    status: 'open',
    reviewDate: '2026-04-30',
    escalatedTo: '',
  };

  it('reads a risk as the form posts it', () => {
    const parsed = riskInputSchema.parse(form);
    expect(parsed).toEqual({
      kind: 'ethical',
      title: 'Bias against older applicants',
      description: '',
      likelihood: 3,
      impact: 4,
      owner: 'Head of Planning',
      mitigations: 'Test outcomes by age band every month',
      status: 'open',
      reviewDate: '2026-04-30',
      source: 'register',
      escalatedTo: null,
    });
  });

  it('says exactly what is missing or wrong, field by field', () => {
    const result = riskInputSchema.safeParse({
      ...form,
      kind: '',
      title: 'x'.repeat(121),
      likelihood: '',
      impact: '7',
      owner: ' ',
      reviewDate: '2026-02-30',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const messages = Object.fromEntries(result.error.issues.map((i) => [i.path[0], i.message]));
    expect(messages).toEqual({
      kind: 'Choose whether it is an operational or an ethical risk',
      title: 'The title must be 120 characters or fewer',
      likelihood: 'Choose how likely it is',
      impact: 'The impact must be from 1 to 5',
      owner: 'Enter who owns the risk, for example “Head of Planning”',
      reviewDate: 'Enter the review date as a real date, for example 2026-03-31',
    });
  });
});

describe('ethicsReviewSchema', () => {
  it('asks for the reviewer, the date of a decision, and the reason for a rejection', () => {
    const result = ethicsReviewSchema.safeParse({
      status: 'rejected',
      reviewer: '',
      date: '',
      notes: '',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['reviewer', 'Enter who is reviewing it, for example “Data ethics committee”'],
      ['date', 'Enter the date the review rejected it'],
      ['notes', 'Say why the review rejected it'],
    ]);
    expect(ethicsReviewSchema.parse({ status: 'not-started' })).toEqual({
      status: 'not-started',
      reviewer: '',
      date: null,
      notes: '',
    });
  });
});

describe('pre-mortem', () => {
  it('turns each line or bullet into a draft risk of the kind its words suggest', () => {
    const drafts = draftRisksFromPreMortem([
      '- Staff kept doing it by hand because the summaries were wrong\n' +
        '- The model was biased against older applicants, so residents complained',
      'It failed because the supplier would not let us take our data out.\n\n' +
        '• Nobody could appeal the decisions it made',
      '   ',
    ]);
    expect(
      drafts.map((d) => ({
        answer: d.answerIndex,
        kind: d.kind,
        title: d.title,
        signals: d.signals,
      })),
    ).toEqual([
      {
        answer: 0,
        kind: 'operational',
        title: 'Staff kept doing it by hand because the summaries were wrong',
        signals: [],
      },
      {
        answer: 0,
        kind: 'ethical',
        title: 'The model was biased against older applicants, so residents complained',
        signals: ['bias'],
      },
      {
        answer: 1,
        kind: 'operational',
        title: 'The supplier would not let us take our data out',
        signals: [],
      },
      {
        answer: 1,
        kind: 'ethical',
        title: 'Nobody could appeal the decisions it made',
        signals: ['challenge or appeal'],
      },
    ]);
    for (const d of drafts) {
      expect([d.likelihood, d.impact, d.source]).toEqual([3, 3, 'pre-mortem']);
    }
    expect(drafts[0]?.description).toBe(
      'Staff kept doing it by hand because the summaries were wrong',
    );
    expect(drafts[3]?.why).toBe(
      'Suggested as ethical because it mentions “challenge or appeal”: harm to members of the public is an ethical failure (section 2.1). Change it if the reason is really about productivity.',
    );
  });

  it('counts trust as ethical only when it is the public’s trust', () => {
    expect(suggestRiskKind('Staff did not trust the outputs').kind).toBe('operational');
    expect(suggestRiskKind('Residents lost trust in the council after the press story')).toEqual({
      kind: 'ethical',
      signals: ['public trust'],
    });
    expect(suggestRiskKind('It wrongly refused help to families in crisis').signals).toEqual([
      'wrong decisions about people',
    ]);
    expect(
      suggestRiskKind('Discriminated against disabled tenants; data was leaked').signals,
    ).toEqual(['discrimination', 'protected characteristics', 'privacy']);
  });

  it('keeps a title short, cut at a word', () => {
    const title = suggestTitle(
      'because the chatbot gave confident but fabricated answers about council tax discounts to hundreds of callers. Then more.',
    );
    expect(title).toBe(
      'The chatbot gave confident but fabricated answers about council tax discounts…',
    );
    expect(title.length).toBeLessThanOrEqual(80);
  });

  it('asks for at least one reason', () => {
    expect(() => draftRisksFromPreMortem(['', '  \n '])).toThrow(
      'Enter at least one reason it failed',
    );
  });
});

describe('approvalBlockers', () => {
  const approved: EthicsReview = {
    status: 'approved',
    reviewer: 'Data ethics committee',
    date: '2026-02-01',
    notes: '',
  };
  const publicFacing = initiative({ affects: ['staff', 'public'] });

  it('blocks an initiative that affects the public until an ethics review approves it', () => {
    expect(approvalBlockers(publicFacing, [], DEFAULT_RISK_APPETITE, null, null)).toEqual([
      {
        code: 'ethics-review',
        message:
          'It affects members of the public, so an ethics review must approve it before it is approved (section 3.4): ask the ethics board or committee to review it.',
        riskId: null,
      },
    ]);
    const inReview: EthicsReview = { ...approved, status: 'in-review', date: null };
    expect(
      approvalBlockers(publicFacing, [], DEFAULT_RISK_APPETITE, inReview, null)[0]?.message,
    ).toMatch(/the review by Data ethics committee is still under way\.$/);
    expect(approvalBlockers(publicFacing, [], DEFAULT_RISK_APPETITE, approved, null)).toEqual([]);
  });

  it('lets a staff-only initiative with no personal data and no risks through', () => {
    expect(approvalBlockers(initiative(), [], DEFAULT_RISK_APPETITE, null, null)).toEqual([]);
  });

  it('needs a screening, and a required DPIA completed, when personal data is used', () => {
    const personal = initiative({
      data: {
        personal: true,
        specialCategory: true,
        criminalOffence: false,
        description: 'Case notes',
      },
      decisionsAboutPeople: true,
      automatedDecisions: true,
    });
    expect(approvalBlockers(personal, [], DEFAULT_RISK_APPETITE, null, null)).toEqual([
      {
        code: 'dpia',
        message:
          'It uses personal data: answer the screening questions to find out whether a data protection impact assessment (DPIA) is required.',
        riskId: null,
      },
    ]);
    const screening = screenDpia(dpiaAnswersFromInitiative(personal).answers);
    expect(screening.outcome).toBe('required');
    const inProgress: DpiaRecord = { status: 'in-progress', completedOn: null, screening };
    expect(
      approvalBlockers(personal, [], DEFAULT_RISK_APPETITE, null, inProgress)[0]?.message,
    ).toBe(
      'A data protection impact assessment (DPIA) is required and is in progress: complete it before approval.',
    );
    const wronglyWaived: DpiaRecord = { status: 'not-required', completedOn: null, screening };
    expect(
      approvalBlockers(personal, [], DEFAULT_RISK_APPETITE, null, wronglyWaived)[0]?.message,
    ).toContain('is recorded as not required, but the screening found that one is required');
    const done: DpiaRecord = { status: 'completed', completedOn: '2026-01-15', screening };
    expect(approvalBlockers(personal, [], DEFAULT_RISK_APPETITE, null, done)).toEqual([]);
  });

  it('needs every risk above the appetite escalated and accepted, or brought within it', () => {
    const bias = risk({
      id: 'r-bias',
      title: 'Biased triage',
      kind: 'ethical',
      likelihood: 3,
      impact: 3,
    });
    expect(approvalBlockers(initiative(), [bias], DEFAULT_RISK_APPETITE, null, null)).toEqual([
      {
        code: 'risk-above-appetite',
        message:
          '“Biased triage” (ethical, score 9) is 3 above the ethical appetite of 6. Escalate it above the project and have it accepted there, or reduce it to 6 or less.',
        riskId: 'r-bias',
      },
    ]);
    const acceptedAlone = { ...bias, status: 'accepted' as const };
    expect(
      approvalBlockers(initiative(), [acceptedAlone], DEFAULT_RISK_APPETITE, null, null)[0]
        ?.message,
    ).toBe(
      '“Biased triage” (ethical, score 9) is 3 above the ethical appetite of 6. It is marked accepted, but not escalated: record who above the project accepted it.',
    );
    const escalated = { ...acceptedAlone, escalatedTo: 'Risk and audit committee' };
    expect(approvalBlockers(initiative(), [escalated], DEFAULT_RISK_APPETITE, null, null)).toEqual(
      [],
    );
    // The same score as an operational risk is within the appetite.
    const operational = { ...bias, kind: 'operational' as const };
    expect(
      approvalBlockers(initiative(), [operational], DEFAULT_RISK_APPETITE, null, null),
    ).toEqual([]);
  });

  it('refuses a risk from another initiative', () => {
    const stray = risk({
      id: 'r-9',
      title: 'Stray',
      initiativeId: 'i-2',
      likelihood: 1,
      impact: 1,
    });
    expect(() =>
      approvalBlockers(initiative(), [stray], DEFAULT_RISK_APPETITE, null, null),
    ).toThrow(
      'Risk “Stray” (r-9) belongs to initiative i-2, not to “Triage planning applications” (i-1)',
    );
  });
});
