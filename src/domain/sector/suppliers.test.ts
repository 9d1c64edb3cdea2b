import { describe, expect, it } from 'vitest';
import { supplierEntries, supplierKey, type SupplierReport } from './suppliers.ts';

let n = 0;
const report = (organisationId: string, over: Partial<SupplierReport> = {}): SupplierReport => ({
  id: `r${++n}`,
  organisationId,
  evaluationId: `e${n}`,
  supplier: 'Acme Analytics Ltd',
  delivered: true,
  onTime: false,
  benefits: 'realised',
  lockIn: false,
  createdAt: `2026-0${(n % 9) + 1}-01T00:00:00.000Z`,
  ...over,
});

describe('the supplier register', () => {
  it('never shows a figure from one organisation, however many reports it files', () => {
    const reports = Array.from({ length: 12 }, () => report('only-one', { delivered: false }));
    const [entry] = supplierEntries(reports);
    expect(entry?.reports).toBe(12);
    expect(entry?.organisations).toBe(1);
    expect(entry?.figures).toBeUndefined();
  });

  it('shows figures once reports come from the minimum number of distinct organisations', () => {
    const four = ['a', 'b', 'c', 'd'].map((o) => report(o));
    expect(supplierEntries(four)[0]?.figures).toBeUndefined();
    // A fifth report from an organisation already counted changes nothing.
    expect(supplierEntries([...four, report('a')])[0]?.figures).toBeUndefined();
    const five = [...four, report('e', { lockIn: true, benefits: 'partly', onTime: true })];
    const figures = supplierEntries(five)[0]?.figures;
    expect(figures?.delivered).toEqual({ yes: 5, of: 5 });
    expect(figures?.onTime).toEqual({ yes: 1, of: 5 });
    expect(figures?.benefitsRealised).toEqual({ yes: 4, of: 5 });
    expect(figures?.benefitsPartly).toEqual({ yes: 1, of: 5 });
    expect(figures?.lockIn).toEqual({ yes: 1, of: 5 });
  });

  it('follows an institution’s higher minimum, never a lower one', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((o) => report(o));
    expect(supplierEntries(five, 6)[0]?.figures).toBeUndefined();
    expect(supplierEntries(five.slice(0, 3), 2)[0]?.figures).toBeUndefined();
  });

  it('counts one supplier whatever the case, spacing or punctuation of its name', () => {
    expect(supplierKey('  ACME analytics, Ltd. ')).toBe(supplierKey('Acme Analytics Ltd'));
    const names = [
      'Acme Analytics Ltd',
      'ACME ANALYTICS LTD',
      'acme analytics ltd.',
      'Acme Analytics Ltd',
      'Acme  Analytics Ltd',
    ];
    const entries = supplierEntries(names.map((supplier, i) => report(`o${i}`, { supplier })));
    expect(entries).toHaveLength(1);
    expect(entries[0]?.name).toBe('Acme Analytics Ltd');
    expect(entries[0]?.figures).toBeDefined();
  });
});
