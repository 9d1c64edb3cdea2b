import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../../domain/framework/index.ts';
import { DEFAULT_READINESS_TABLE } from '../../domain/readiness/index.ts';
import {
  applyLevels,
  fieldOfIssue,
  isLaterVersion,
  nextTableVersion,
  readinessFormValues,
  requirementWords,
} from './readiness-form.ts';

const context = { framework: defaultFramework, date: '2026-12-01' };

describe('the readiness table form', () => {
  it('names levels as what they ask for', () => {
    expect([1, 2, 3, 4, 5].map((l) => requirementWords(l as 1 | 2 | 3 | 4 | 5))).toEqual([
      'Outstanding (1)',
      'Good (2) or better',
      'Adequate (3) or better',
      'Needs Improvement (4) or better',
      'Any level: Inadequate (5) or better',
    ]);
  });

  it('gives every saved table a later, unused version', () => {
    expect(nextTableVersion('1.0.0', new Set(['1.0.0']))).toBe('1.1.0');
    expect(nextTableVersion('1.1.0', new Set(['1.0.0', '1.1.0', '1.2.0']))).toBe('1.3.0');
    expect(nextTableVersion('2.4.7', new Set())).toBe('2.5.0');
    expect(isLaterVersion('1.10.0', '1.9.3')).toBe(true);
    expect(isLaterVersion('1.0.0', '1.0.0')).toBe(false);
    expect(isLaterVersion('0.9.9', '1.0.0')).toBe(false);
  });

  it('applies a changed level with the reason, dated, and the paper’s default beside it', () => {
    const body = {
      ...readinessFormValues(DEFAULT_READINESS_TABLE),
      'level-pilot-managing-risk': '2',
      note: 'Our residents expect it',
    };
    const edit = applyLevels(DEFAULT_READINESS_TABLE, body, context);
    expect(edit.ok).toBe(true);
    if (!edit.ok) return;
    expect(edit.changes).toEqual([
      {
        field: 'level-pilot-managing-risk',
        where: 'Pilot or off-the-shelf tool',
        capability: 'Managing Risk',
        from: 3,
        to: 2,
      },
    ]);
    expect(edit.document.ambitions.pilot.requirements['managing-risk']).toEqual({
      level: 2,
      reason:
        'Our residents expect it (Changed by the organisation on 2026-12-01 from Adequate (3) or better to Good (2) or better; the paper’s default is Adequate (3) or better.)',
      source:
        'The organisation’s own decision of 2026-12-01; the paper’s default cites section 3 (introduction); section 3.4; Table 2, Adequate',
    });
    // The paper's table itself is untouched (it is frozen, and copied before editing).
    expect(DEFAULT_READINESS_TABLE.ambitions.pilot.requirements['managing-risk']?.level).toBe(3);
  });

  it('refuses a value that is not a level, a change without a reason, and no change', () => {
    const values = readinessFormValues(DEFAULT_READINESS_TABLE);
    const forged = applyLevels(
      DEFAULT_READINESS_TABLE,
      { ...values, 'rule-affects-public-managing-risk': '0', note: 'x' },
      context,
    );
    expect(forged).toEqual({
      ok: false,
      problems: [
        [
          'rule-affects-public-managing-risk',
          'Choose a level from Outstanding (1) to Inadequate (5) for Managing Risk (rule “It affects members of the public.”)',
        ],
      ],
    });
    expect(applyLevels(DEFAULT_READINESS_TABLE, { ...values, note: 'x' }, context)).toEqual({
      ok: false,
      problems: [
        [
          'level-pilot-organisational-learning',
          'Nothing has changed: choose a different level for at least one capability, or go back',
        ],
      ],
    });
    const silent = applyLevels(
      DEFAULT_READINESS_TABLE,
      { ...values, 'level-bespoke-managing-risk': '1' },
      context,
    );
    expect(silent.ok ? [] : silent.problems.map(([field]) => field)).toEqual(['note']);
  });

  it('finds the field a table issue concerns', () => {
    expect(
      fieldOfIssue('ambitions.bespoke.requirements.managing-risk.level', DEFAULT_READINESS_TABLE),
    ).toBe('level-bespoke-managing-risk');
    expect(
      fieldOfIssue(
        'rules.1.requirements.developing-new-ways-of-working.level',
        DEFAULT_READINESS_TABLE,
      ),
    ).toBe('rule-affects-vulnerable-developing-new-ways-of-working');
    expect(fieldOfIssue('version', DEFAULT_READINESS_TABLE)).toBeUndefined();
  });
});
