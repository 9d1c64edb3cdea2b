// The sector's supplier register (paper section 4.2, capability 7: "publicly accessible registers
// … for AI vendors, detailing their expertise and past performance", and Table 3, level 1: "a
// single, audited supplier register"). Each figure is drawn from members' post-implementation
// evaluations: one report per evaluation, saying whether the supplier delivered, on time, whether
// the benefits were realised and whether there were lock-in problems.
//
// No supplier can be defamed by one member: a figure is shown only when the reports behind it come
// from at least the minimum number of DISTINCT organisations (the benchmarks' disclosure rule,
// `MIN_ORGANISATIONS`, 5 or the institution's higher minimum) — many reports from one member count
// once towards that minimum. There is no free text at all: a remark is one organisation's word and
// cannot be aggregated or checked, so the register carries counts only.
import { MIN_ORGANISATIONS } from './disclosure.ts';

export type BenefitsRealised = 'realised' | 'partly' | 'not-realised';

export interface SupplierReport {
  readonly id: string;
  readonly organisationId: string;
  readonly evaluationId: string;
  readonly supplier: string;
  readonly delivered: boolean;
  readonly onTime: boolean;
  readonly benefits: BenefitsRealised;
  readonly lockIn: boolean;
  readonly createdAt: string;
}

export interface SupplierFigure {
  /** How many reports say yes, of how many. */
  readonly yes: number;
  readonly of: number;
}

export interface SupplierEntry {
  readonly key: string;
  readonly name: string;
  /** Distinct organisations behind the entry. */
  readonly organisations: number;
  readonly reports: number;
  /** Undefined when hidden: fewer distinct organisations than the minimum. */
  readonly figures?: {
    readonly delivered: SupplierFigure;
    readonly onTime: SupplierFigure;
    readonly benefitsRealised: SupplierFigure;
    readonly benefitsPartly: SupplierFigure;
    readonly lockIn: SupplierFigure;
  };
  readonly period: { readonly from: string; readonly to: string };
}

/** The key by which names are compared: case, spaces and punctuation folded. */
export function supplierKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Reports grouped by supplier, with figures only where enough distinct organisations stand behind them. */
export function supplierEntries(
  reports: readonly SupplierReport[],
  minimum: number = MIN_ORGANISATIONS,
): SupplierEntry[] {
  const min = Math.max(minimum, MIN_ORGANISATIONS);
  const groups = new Map<string, SupplierReport[]>();
  for (const r of reports) {
    const key = supplierKey(r.supplier);
    if (key === '') continue;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const entries: SupplierEntry[] = [];
  for (const [key, list] of groups) {
    const organisations = new Set(list.map((r) => r.organisationId)).size;
    // The name most reports use (ties: alphabetical), so one member's spelling cannot rename it.
    const spellings = new Map<string, number>();
    for (const r of list)
      spellings.set(r.supplier.trim(), (spellings.get(r.supplier.trim()) ?? 0) + 1);
    const name =
      [...spellings.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ??
      key;
    const count = (f: (r: SupplierReport) => boolean): SupplierFigure => ({
      yes: list.filter(f).length,
      of: list.length,
    });
    const dates = list.map((r) => r.createdAt).sort();
    entries.push({
      key,
      name,
      organisations,
      reports: list.length,
      ...(organisations >= min
        ? {
            figures: {
              delivered: count((r) => r.delivered),
              onTime: count((r) => r.onTime),
              benefitsRealised: count((r) => r.benefits === 'realised'),
              benefitsPartly: count((r) => r.benefits === 'partly'),
              lockIn: count((r) => r.lockIn),
            },
          }
        : {}),
      period: { from: dates[0] ?? '', to: dates.at(-1) ?? '' },
    });
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}
