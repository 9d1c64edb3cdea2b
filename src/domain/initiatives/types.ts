// The plain data an AI initiative is made of (issue 11): what it is, what it aims at, what it
// needs, and how it is run. Every engine of the initiatives feature – readiness, the bottleneck
// check, the portfolio, risks, transparency and evaluation – reads these shapes; storage keeps them
// and the web layer edits them. Levels use the paper's numbering: 1 = Outstanding … 5 = Inadequate.
import type { MaturityLevel } from '../framework/index.ts';

/** The six AI competencies of section 2.1. */
export type CompetencyId =
  | 'computer-vision'
  | 'natural-language-processing'
  | 'speech-analytics'
  | 'predictive-analytics'
  | 'chatbots'
  | 'large-language-models';

/**
 * How far the initiative reaches (section 3: "AI is not a monolith"): an off-the-shelf automation
 * or low-risk pilot; a bespoke or high-stakes system (for example one that informs decisions about
 * people); or a system-wide change or a new delivery chain (section 2.2.2).
 */
export type Ambition = 'pilot' | 'bespoke' | 'system-wide';
export const AMBITIONS: readonly Ambition[] = ['pilot', 'bespoke', 'system-wide'];

/** Who the initiative affects; the widest group counts for risk. */
export type AffectedGroup = 'staff' | 'public' | 'vulnerable';
export const AFFECTED_GROUPS: readonly AffectedGroup[] = ['staff', 'public', 'vulnerable'];

export interface DataUse {
  /** Personal data (UK GDPR art. 4). */
  readonly personal: boolean;
  /** Special-category data (UK GDPR art. 9): health, ethnicity, religion, biometrics … */
  readonly specialCategory: boolean;
  /** Criminal-offence data (UK GDPR art. 10). */
  readonly criminalOffence: boolean;
  /** Plain words: which data, from where. */
  readonly description: string;
}

/** The complementarities of section 3.2: what must be bought besides the technology. */
export type InvestmentKind = 'data' | 'infrastructure' | 'skills' | 'process-redesign';
export const INVESTMENT_KINDS: readonly InvestmentKind[] = [
  'data',
  'infrastructure',
  'skills',
  'process-redesign',
];

export interface ComplementaryInvestment {
  readonly kind: InvestmentKind;
  readonly description: string;
  /** Pounds; whole numbers. */
  readonly cost: number;
  readonly owner: string;
}

/** New ways of working (section 3.3). */
export interface WaysOfWorking {
  readonly rolesThatChange: string;
  readonly training: string;
  /** How frontline staff are involved in designing the change (co-design, Table 2). */
  readonly frontlineInvolvement: string;
}

/** The supplier arrangement (section 3.5). */
export type SupplierArrangement = 'in-house' | 'single-end-to-end' | 'modular-multi-supplier';
export const SUPPLIER_ARRANGEMENTS: readonly SupplierArrangement[] = [
  'in-house',
  'single-end-to-end',
  'modular-multi-supplier',
];

export type ModelOwner = 'organisation' | 'supplier' | 'shared' | 'unknown';

/** The lock-in checklist of section 3.5: proprietary algorithms, non-portable data, bespoke interfaces. */
export interface LockInChecklist {
  readonly dataPortability: boolean;
  readonly openFormats: boolean;
  readonly exitPlan: boolean;
  readonly modelOwner: ModelOwner;
}

export interface SupplierDetails {
  readonly arrangement: SupplierArrangement;
  /** Supplier names, if any (none for in-house). */
  readonly suppliers: string;
  readonly lockIn: LockInChecklist;
}

/** Lifecycle: idea → assessed → approved → in delivery → live → evaluated, or stopped (with a reason). */
export type InitiativeStatus =
  'idea' | 'assessed' | 'approved' | 'in-delivery' | 'live' | 'evaluated' | 'stopped';
export const INITIATIVE_STATUSES: readonly InitiativeStatus[] = [
  'idea',
  'assessed',
  'approved',
  'in-delivery',
  'live',
  'evaluated',
  'stopped',
];

/** The six cells of Figure 2. */
export type TypologyCellNumber = 1 | 2 | 3 | 4 | 5 | 6;

/** One AI initiative as registered. Ids are opaque strings; money is in whole pounds. */
export interface Initiative {
  readonly id: string;
  readonly title: string;
  /** The problem in the user's words. */
  readonly problem: string;
  /** The delivery chain and stage it addresses, if any. */
  readonly chainId: string | null;
  readonly stageId: string | null;
  readonly competency: CompetencyId;
  readonly ambition: Ambition;
  readonly affects: readonly AffectedGroup[];
  readonly data: DataUse;
  readonly typologyCells: readonly TypologyCellNumber[];
  /** The technology's own cost (pounds), before complementary investments. */
  readonly technologyCost: number;
  readonly investments: readonly ComplementaryInvestment[];
  readonly waysOfWorking: WaysOfWorking;
  readonly supplier: SupplierDetails;
  /** The political or ministerial priority it serves: the "authorising environment" (section 3.2). */
  readonly authorisingNarrative: string;
  /** Makes decisions, or informs decisions, about individual people. */
  readonly decisionsAboutPeople: boolean;
  /** Decisions are taken without meaningful human review. */
  readonly automatedDecisions: boolean;
  readonly status: InitiativeStatus;
  readonly stoppedReason: string | null;
  /** Go-live date (ISO yyyy-mm-dd), set when it goes live; evaluations compare before and after. */
  readonly liveFrom: string | null;
}

/** One capability's level as the organisation's latest assessment found it. */
export interface CapabilityLevel {
  readonly capabilityId: string;
  readonly level: MaturityLevel;
  /** Where the level comes from: agreed in moderation, else the respondents' median. */
  readonly source: 'agreed' | 'median';
}
