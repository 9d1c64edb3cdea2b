// The business case of an initiative (issue 11; paper section 3.2 and Table 1: "business cases must
// identify the bottleneck a project addresses" and plan for the complementary investments): one
// document, in words and tables, gathering the problem, the bottleneck evidence, the effects across
// the three measures of Figure 1, costs and complementary investments, new ways of working, the
// supplier arrangement, risks and readiness. The printable page and the PDF are both drawn from this
// one model, so they always say the same.
import { COMPETENCIES } from '../../domain/initiatives/competencies.ts';
import { STATUS_WORDS } from '../../domain/initiatives/lifecycle.ts';
import { totalCost } from '../../domain/initiatives/portfolio.ts';
import {
  aboveAppetite,
  riskRating,
  riskScore,
  type Risk,
  type RiskAppetite,
} from '../../domain/initiatives/risks.ts';
import type { ChainCheck, ReadinessView } from '../../services/initiatives.ts';
import type { StoredInitiative } from '../../storage/index.ts';
import { AFFECTED_WORDS, INVESTMENT_WORDS, MODEL_OWNER_WORDS, SUPPLIER_WORDS } from './form.ts';
import { AMBITION_NAMES, formatPounds, levelText, VERDICT_TAGS } from './view.ts';

export interface CaseTable {
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface CaseSection {
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly items: readonly string[];
  readonly tables: readonly CaseTable[];
}

export interface BusinessCase {
  readonly title: string;
  readonly organisationName: string;
  readonly statusText: string;
  readonly verdictText: string;
  readonly sections: readonly CaseSection[];
}

export interface BusinessCaseInput {
  readonly stored: StoredInitiative;
  readonly organisationName: string;
  readonly readiness: ReadinessView;
  readonly chainCheck: ChainCheck | null;
  readonly risks: readonly Risk[];
  readonly appetite: RiskAppetite;
}

const FAMILY_HEADINGS = {
  budgetary: 'Budgetary efficiency: how well inputs are bought (the price of each input)',
  operational: 'Operational efficiency: how inputs are turned into outputs',
  effectiveness: 'Effectiveness: how outputs turn into outcomes',
  context: 'Context (not one of the three measures)',
} as const;

const section = (
  heading: string,
  parts: Partial<Omit<CaseSection, 'heading'>> = {},
): CaseSection => ({
  heading,
  paragraphs: parts.paragraphs ?? [],
  items: parts.items ?? [],
  tables: parts.tables ?? [],
});

const orNotSaid = (text: string) => (text.trim() === '' ? 'Not said yet.' : text);

export function buildBusinessCase(input: BusinessCaseInput): BusinessCase {
  const { initiative } = input.stored;
  const competency = COMPETENCIES.find((c) => c.id === initiative.competency);
  const { result } = input.readiness;
  const check = input.chainCheck?.check ?? null;
  const sections: CaseSection[] = [];

  sections.push(
    section('1. The problem', {
      paragraphs: [
        initiative.problem,
        `Priority it serves: ${orNotSaid(initiative.authorisingNarrative)}`,
        `It uses ${competency?.name ?? initiative.competency} (paper section 2.1) as ${AMBITION_NAMES[initiative.ambition].toLowerCase()}, affecting ${initiative.affects.map((g) => AFFECTED_WORDS[g].toLowerCase()).join(' and ')}.`,
      ],
      items: (competency?.limits ?? []).map((l) => `Limit to plan for: ${l.text}`),
    }),
  );

  const bottleneckParagraphs: string[] = [];
  if (!input.chainCheck) {
    bottleneckParagraphs.push(
      'Not tied to a delivery chain: this business case does not yet identify the bottleneck it addresses (Table 1, Planning and Prioritisation, Good).',
    );
  } else if (!check) {
    bottleneckParagraphs.push(
      `It names the chain “${input.chainCheck.chain.name}” but not the stage it acts on.`,
    );
  } else {
    bottleneckParagraphs.push(check.verdict, check.bottleneckExplanation);
  }
  sections.push(
    section('2. The bottleneck (paper section 2.2.1)', {
      paragraphs: bottleneckParagraphs,
      items: check?.warnings.map((w) => `Warning: ${w.message}`) ?? [],
    }),
  );

  const scenario = check?.scenario ?? null;
  const families = ['budgetary', 'operational', 'effectiveness', 'context'] as const;
  sections.push(
    section('3. Effects across the three measures (Figure 1)', {
      paragraphs: scenario
        ? [
            `Modelled by the chain's intervention “${scenario.name}”. ${scenario.effects[0]?.basis === 'simulation' ? 'Figures are simulated, with the interval of each change; a change is counted only when it is beyond its uncertainty.' : 'Figures come from the queueing formulas.'}`,
          ]
        : [
            'Not modelled yet: choose the chain intervention that models the initiative on its page to see its effect on throughput, lead time, cost and outcomes.',
          ],
      tables: scenario
        ? families
            .map((family) => ({
              caption: FAMILY_HEADINGS[family],
              head: ['Measure', 'What it does'],
              rows: scenario.effects
                .filter((e) => e.family === family)
                .map((e) => [e.label, e.statement]),
            }))
            .filter((table) => table.rows.length > 0)
        : [],
    }),
  );

  sections.push(
    section('4. Costs and complementary investments (paper section 3.2)', {
      tables: [
        {
          caption: `Total cost: ${formatPounds(totalCost(initiative))}`,
          head: ['What', 'Kind', 'Owner', 'Cost'],
          rows: [
            ['The technology itself', 'Technology', '', formatPounds(initiative.technologyCost)],
            ...initiative.investments.map((inv) => [
              inv.description,
              INVESTMENT_WORDS[inv.kind],
              inv.owner,
              formatPounds(inv.cost),
            ]),
          ],
        },
      ],
      paragraphs:
        initiative.investments.length === 0
          ? [
              'No complementary investment is listed. AI seldom pays off without data, infrastructure and skills to match (section 3.2): check none is needed.',
            ]
          : [],
    }),
  );

  sections.push(
    section('5. New ways of working (paper section 3.3)', {
      items: [
        `Roles that change: ${orNotSaid(initiative.waysOfWorking.rolesThatChange)}`,
        `Training: ${orNotSaid(initiative.waysOfWorking.training)}`,
        `How frontline staff are involved: ${orNotSaid(initiative.waysOfWorking.frontlineInvolvement)}`,
      ],
    }),
  );

  const lockIn = initiative.supplier.lockIn;
  sections.push(
    section('6. Suppliers and lock-in (paper section 3.5)', {
      paragraphs: [
        `${SUPPLIER_WORDS[initiative.supplier.arrangement].text}${initiative.supplier.suppliers.trim() ? `: ${initiative.supplier.suppliers}` : ''}. ${SUPPLIER_WORDS[initiative.supplier.arrangement].hint}`,
      ],
      items: [
        `Data can be taken away in a usable form: ${lockIn.dataPortability ? 'yes' : 'no'}`,
        `Open formats and standard interfaces: ${lockIn.openFormats ? 'yes' : 'no'}`,
        `Exit plan: ${lockIn.exitPlan ? 'yes' : 'no'}`,
        `Who owns the model: ${MODEL_OWNER_WORDS[lockIn.modelOwner].toLowerCase()}`,
      ],
    }),
  );

  const riskRows = input.risks.map((r) => {
    const score = riskScore(r);
    return [
      r.title,
      r.kind === 'ethical' ? 'Ethical' : 'Operational',
      `${r.likelihood} × ${r.impact} = ${score} (${riskRating(score).label})${aboveAppetite(r, input.appetite) ? ', above appetite' : ''}`,
      r.owner,
      r.status,
    ];
  });
  sections.push(
    section('7. Risks (paper sections 2.1 and 3.4)', {
      paragraphs:
        riskRows.length === 0
          ? ['No risks are recorded yet. A pre-mortem is a quick way to find them.']
          : [
              `Risk appetite: operational ${input.appetite.operational}, ethical ${input.appetite.ethical} (the highest acceptable likelihood × impact).`,
            ],
      tables:
        riskRows.length === 0
          ? []
          : [
              {
                caption: `${riskRows.length} ${riskRows.length === 1 ? 'risk' : 'risks'}`,
                head: ['Risk', 'Kind', 'Likelihood × impact', 'Owner', 'Status'],
                rows: riskRows,
              },
            ],
    }),
  );

  sections.push(
    section('8. Readiness (paper section 3)', {
      paragraphs: [result.summary, input.readiness.assessment?.note ?? ''].filter((p) => p !== ''),
      items: result.conditions.map((c) => `Condition: ${c}`),
      tables:
        result.capabilities.length === 0
          ? []
          : [
              {
                caption: `Readiness table ${result.table.id} version ${result.table.version}; 1 = Outstanding … 5 = Inadequate`,
                head: ['Capability', 'Needs', 'Is'],
                rows: result.capabilities.map((c) => [
                  c.name,
                  `${levelText(c.requiredLevel)} or better`,
                  `${levelText(c.actualLevel)}${c.source === 'agreed' ? ' (agreed)' : c.source === 'median' ? ' (median)' : ''}`,
                ]),
              },
            ],
    }),
  );

  return {
    title: initiative.title,
    organisationName: input.organisationName,
    statusText: STATUS_WORDS[initiative.status],
    verdictText: VERDICT_TAGS[result.verdict].text,
    sections,
  };
}
