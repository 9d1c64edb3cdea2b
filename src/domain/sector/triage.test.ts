import { describe, expect, it } from 'vitest';
import { answersOnPath, triage } from './triage.ts';

describe('the just-culture decision aid (paper section 4.4, after Reason 1998)', () => {
  it('asks the first question when nothing is answered', () => {
    const out = triage({});
    expect(out.class).toBeNull();
    expect(out.next).toBe('knowingRisk');
  });

  it('classes a knowingly unjustified risk as reckless conduct, whatever follows', () => {
    expect(triage({ knowingRisk: true, sanctionedTrial: true }).class).toBe('reckless_conduct');
  });

  it('classes an approved trial within its limits as justifiable experimentation', () => {
    expect(triage({ knowingRisk: false, sanctionedTrial: true }).class).toBe(
      'justifiable_experimentation',
    );
  });

  it('classes a slip with no departure from procedure as blameless human error', () => {
    const out = triage({
      knowingRisk: false,
      sanctionedTrial: false,
      departedFromProcedure: false,
    });
    expect(out.class).toBe('blameless_error');
    expect(out.path.map((s) => s.id)).toEqual([
      'knowingRisk',
      'sanctionedTrial',
      'departedFromProcedure',
    ]);
  });

  it('uses the substitution test for a departure from procedure', () => {
    const base = { knowingRisk: false, sanctionedTrial: false, departedFromProcedure: true };
    expect(triage({ ...base, othersWouldToo: true }).class).toBe('blameless_error');
    expect(triage({ ...base, othersWouldToo: false }).class).toBe('at_risk_behaviour');
    const pending = triage(base);
    expect(pending.class).toBeNull();
    expect(pending.next).toBe('othersWouldToo');
  });

  it('keeps only the answers on the path', () => {
    expect(
      answersOnPath({ knowingRisk: true, sanctionedTrial: false, othersWouldToo: true }),
    ).toEqual({ knowingRisk: true });
  });
});
