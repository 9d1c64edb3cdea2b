// Risks as the initiatives feature reads them back from storage (issue 11; paper sections 2.1 and
// 3.4): each stored risk as the domain's Risk, with what an incomplete record lacks, and the
// organisation's risk appetite (its latest saved version, else the domain's default). The register,
// the approval gate, the business case and the portfolio all read them here, so they agree.
import {
  DEFAULT_RISK_APPETITE,
  RISK_KINDS,
  RISK_LEVELS,
  RISK_STATUSES,
  isIsoDate,
  parseRiskAppetite,
  riskInputSchema,
  type Risk,
  type RiskAppetite,
  type RiskKind,
  type RiskLevel,
  type RiskStatus,
} from '../domain/initiatives/risks.ts';
import type { OrgScope, StoredRisk } from '../storage/index.ts';

/** A stored risk as the domain's Risk, with what its record lacks (empty when it is complete). */
export interface ReadRisk {
  readonly risk: Risk;
  readonly problems: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * The risk as the register page and the domain's rules read it. A record the risk schema accepts is
 * read as it is; one that lacks fields (written by an older version or another tool) is read with
 * what it has, and the missing parts are named so a person can complete it. Null only when even its
 * kind, likelihood or impact cannot be read: then it cannot be scored at all.
 */
export function readRisk(stored: StoredRisk): ReadRisk | null {
  const raw = isRecord(stored.risk) ? stored.risk : {};
  // The schema reads a form, where "not escalated" is an empty box; a stored risk keeps it as null.
  const parsed = riskInputSchema.safeParse({ ...raw, escalatedTo: raw.escalatedTo ?? undefined });
  if (parsed.success) {
    return {
      risk: { ...parsed.data, id: stored.id, initiativeId: stored.initiativeId },
      problems: [],
    };
  }
  const kind = raw.kind as RiskKind;
  const likelihood = raw.likelihood as RiskLevel;
  const impact = raw.impact as RiskLevel;
  if (
    !RISK_KINDS.includes(kind) ||
    !RISK_LEVELS.includes(likelihood) ||
    !RISK_LEVELS.includes(impact)
  ) {
    return null;
  }
  const reviewDate = text(raw.reviewDate);
  return {
    risk: {
      id: stored.id,
      initiativeId: stored.initiativeId,
      kind,
      likelihood,
      impact,
      title: text(raw.title) || 'Untitled risk',
      description: text(raw.description),
      owner: text(raw.owner),
      mitigations: text(raw.mitigations),
      status: RISK_STATUSES.includes(raw.status as RiskStatus)
        ? (raw.status as RiskStatus)
        : 'open',
      reviewDate: isIsoDate(reviewDate) ? reviewDate : '',
      source: raw.source === 'pre-mortem' ? 'pre-mortem' : 'register',
      escalatedTo: text(raw.escalatedTo) || null,
    },
    problems: [...new Set(parsed.error.issues.map((i) => i.message))],
  };
}

/** Every readable risk, and the ids of stored records that could not be read at all. */
export function readRisks(stored: readonly StoredRisk[]): {
  readonly risks: readonly ReadRisk[];
  readonly unreadable: readonly string[];
} {
  const risks: ReadRisk[] = [];
  const unreadable: string[] = [];
  for (const s of stored) {
    const read = readRisk(s);
    if (read) risks.push(read);
    else unreadable.push(s.id);
  }
  return { risks, unreadable };
}

// ----- The risk appetite -----------------------------------------------------------------------

export interface CurrentAppetite {
  readonly appetite: RiskAppetite;
  /** The saved version in force, or null when the domain's default applies. */
  readonly version: number | null;
  /** True when the latest saved version could not be read, so the default applies instead. */
  readonly unreadable: boolean;
}

/** The organisation's latest saved risk appetite, else the default (Table 2, level 1). */
export async function currentAppetite(scope: OrgScope): Promise<CurrentAppetite> {
  const saved = await scope.initiatives.setting('risk-appetite');
  if (!saved) return { appetite: DEFAULT_RISK_APPETITE, version: null, unreadable: false };
  const parsed = parseRiskAppetite(saved.document);
  return parsed.ok
    ? { appetite: parsed.appetite, version: saved.version, unreadable: false }
    : { appetite: DEFAULT_RISK_APPETITE, version: null, unreadable: true };
}
