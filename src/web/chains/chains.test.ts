// The pure pieces behind the delivery-chain pages: the SVG diagram and charts (accessible names,
// escaped text, readable sizes and contrast, the bottleneck in words), the change-kind forms (each
// produces a change the engine accepts), and the form helpers.
import { describe, expect, it } from 'vitest';
import {
  analyseChain,
  applyInterventions,
  compareScenarios,
  demoChains,
  parseChainOrThrow,
  planningPermitChainJson,
  simulateChain,
} from '../../domain/chain/index.ts';
import type { Intervention } from '../../domain/chain/index.ts';
import { withoutOpeningHours } from '../../domain/chain/testChains.ts';
import { contrastRatio } from '../charts/svg.ts';
import { CHANGE_KINDS, describeChange } from './changes.ts';
import { barChartSvg } from './charts.ts';
import { chainDiagramSvg } from './diagram.ts';
import { FieldReader, check, draftOf, readService, serviceFields, slugFor } from './edit.ts';
import { analysisView, comparisonView, simulationView } from './view.ts';

const planning = demoChains.planningPermit;

function fontSizes(svg: string): number[] {
  return [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)"/g)].map((m) => Number(m[1]));
}

describe('the chain diagram', () => {
  const svg = chainDiagramSvg(planning, analyseChain(planning));

  it('is an image with a title and a description that a screen reader can read', () => {
    expect(svg).toMatch(
      /^<svg[^>]*role="img"[^>]*aria-labelledby="chain-diagram-title chain-diagram-desc"/,
    );
    expect(svg).toContain(
      '<title id="chain-diagram-title">Diagram of the delivery chain: Planning permit applications</title>',
    );
    expect(svg).toContain(
      'Stage 3, Manual review, run by Council planning service, 118% busy (the bottleneck)',
    );
  });

  it('marks the bottleneck in words, once, and shows every stage, organisation and rework loop', () => {
    expect(svg.match(/>Bottleneck</g)).toHaveLength(1);
    for (const stage of planning.stages) expect(svg).toContain(stage.name);
    expect(svg).toContain('Council planning service');
    expect(svg).toContain('Rework 10%');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('14.2 new a');
    expect(svg).toContain('Application refused');
  });

  it('uses no text smaller than 12px and no inline styles', () => {
    expect(Math.min(...fontSizes(svg))).toBeGreaterThanOrEqual(12);
    expect(svg).not.toContain('style=');
  });

  it('escapes names', () => {
    const json = JSON.parse(
      JSON.stringify(planningPermitChainJson),
    ) as typeof planningPermitChainJson;
    const first = json.stages[0];
    if (first) first.name = '<script>alert("x")</script> & co';
    const chain = parseChainOrThrow(json);
    const out = chainDiagramSvg(chain, analyseChain(chain));
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
  });

  it('draws a chain across organisations with a self-loop', () => {
    const chain = demoChains.policeProsecutionCourts;
    const out = chainDiagramSvg(chain, analyseChain(chain));
    expect(out).toContain('Rework 5%');
    expect(out).toContain('HM Courts &amp;');
    expect(out).toContain('Crown Prosecution');
  });

  it('keeps its colours readable', () => {
    for (const [text, background] of [
      ['#0b0c0c', '#ffffff'],
      ['#0b0c0c', '#fff7bf'],
      ['#0b0c0c', '#f3f2f1'],
      ['#484949', '#fff7bf'],
      ['#484949', '#f3f2f1'],
      ['#ffffff', '#0b0c0c'],
    ] as const) {
      expect(contrastRatio(text, background), `${text} on ${background}`).toBeGreaterThanOrEqual(
        4.5,
      );
    }
    // Bars and lines are graphics: 3:1 against white.
    expect(contrastRatio('#1d70b8', '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrastRatio('#505a5f', '#ffffff')).toBeGreaterThanOrEqual(3);
  });
});

describe('the result charts', () => {
  it('print every figure, name the bottleneck and escape labels', () => {
    const svg = barChartSvg({
      id: 'test',
      title: 'Busy <stages>',
      description: 'd',
      rows: [
        { label: 'A & B', value: 0.5, text: '50%' },
        {
          label: 'Review',
          value: 1.18,
          low: 1.1,
          high: 1.2,
          text: '118%',
          highlight: true,
          note: 'bottleneck',
        },
      ],
      reference: { value: 1, label: 'Capacity (100%)' },
      tick: (v) => `${Math.round(v * 100)}%`,
    });
    expect(svg).toContain('role="img"');
    expect(svg).toContain('Busy &lt;stages&gt;');
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('118% bottleneck');
    expect(svg).toContain('Capacity (100%)');
    expect(Math.min(...fontSizes(svg))).toBeGreaterThanOrEqual(12);
  });

  it('come with tables of the same numbers', () => {
    const view = analysisView(planning, analyseChain(planning));
    const texts = view.stages.rows.map((r) => r.map((c) => ('text' in c ? c.text : '')));
    const review = texts.find((r) => r[0]?.startsWith('Manual review') === true);
    expect(review).toContain('118%');
    expect(view.utilisationChart).toContain('118%');
    const sim = simulationView(
      planning,
      simulateChain(planning, {
        seed: 3,
        replications: 3,
        horizonHours: 20 * 37.5,
        warmupHours: 4 * 37.5,
        sampleEveryHours: 37.5 * 2,
      }),
    );
    expect(sim.backlog.rows.length).toBeGreaterThan(5);
    expect(sim.backlogChart).toContain('<polyline');
  });
});

describe('the three measures on the pages (Figure 1)', () => {
  it('puts each measure under its family with what the family measures, and volumes in context', () => {
    const view = analysisView(planning, analyseChain(planning));
    expect(view.families.map((f) => [f.key, f.rows.map((r) => r.key.text)])).toEqual([
      [
        'budgetary',
        [
          'Cost per staff or machine hour',
          'Cost per use of per-case inputs',
          'Cost per unit of other inputs, a week',
        ],
      ],
      [
        'operational',
        [
          'Outputs per staff hour',
          'Cost per output',
          'Outputs a week (throughput)',
          'Average lead time (arrival to leaving)',
          'Backlog',
        ],
      ],
      ['effectiveness', ['Sound decisions (not overturned on appeal) per output']],
      [
        'context',
        [
          'Sound decisions (not overturned on appeal) a week',
          'Spending a week',
          'Hours of work per output',
        ],
      ],
    ]);
    expect(view.families[0]?.measures).toMatch(/^how well inputs are bought: .*Figure 1\)\.$/);
    // (2 × 28 + 32 + 4 × 45 + 60 + 25) / 9 = 39.22 an hour; no per-case charge in the baseline.
    expect(view.families[0]?.rows.map((r) => r.value.text)).toEqual(['39.22', 'none', '400']);
  });

  it('compares scenarios family by family and gives each intervention’s typology reasons', () => {
    const view = comparisonView(planning, compareScenarios(planning, { simulation: false }));
    const effectiveness = view.families.find((f) => f.key === 'effectiveness');
    expect(effectiveness?.table.rows.map((r) => (r[0] as { text: string }).text)).toEqual([
      'Outcomes per output',
    ]);
    const ai = view.scenarios.find((s) => s.id === 'ai-review-support');
    // Closed forms on the office's weekday hours: the lead time is now in calendar hours, the 36.9
    // working hours of the open-hours queues plus the wait over nights and weekends (43.0 hours);
    // the formulas do not stretch a review across the nights it spans, so the page says to trust
    // the simulation (about 220 hours at seed 1, rosters.test.ts).
    expect(ai?.typology[0]?.lines[0]).toBe(
      'Cell 5, technical improvement in operational efficiency (improves): The same task made quicker: Manual review takes 30% less time per application. Measured: Outputs per staff hour: up from 0.036 to 0.042 (+18.3%). Cost per output at baseline prices: down from 1136 to 966 (−15.0%). Outputs a week (throughput): up from 12.0 to 14.2 (+18.3%). Mean lead time: down from growing without limit to 43.0 hours (1.8 days). Backlog growth a week: down from 2.20 to 0.00 (−100.0%).',
    );
  });
});

describe('the change-kind forms', () => {
  const answers: Record<string, Record<string, unknown>> = {
    scaleServiceTime: { stage: 'manual-review', percent: '70' },
    addServers: { stage: 'manual-review', delta: '2' },
    setService: { stage: 'printing', serviceKind: 'deterministic', mean: '0.25' },
    setCost: { stage: 'manual-review', costPerCase: '6' },
    scaleRework: { stage: 'validation', percent: '40' },
    addRework: { stage: 'approval', percent: '10', to: 'manual-review' },
    replaceStage: {
      stage: 'submission',
      name: 'Online portal',
      organisation: 'Council',
      servers: '1',
      serviceKind: 'exponential',
      mean: '0.1',
      costPerServerHour: '28',
      costPerCase: '0',
    },
    setOutcomeContribution: { output: 'granted', percent: '97' },
    scaleDemand: { percent: '90' },
    addInput: { name: 'Licence', inputKind: 'equipment', costPerWeek: '150' },
    removeInput: { input: 'case-system' },
    setInputCost: { input: 'case-system', costPerWeek: '300' },
    extendHours: { stage: 'manual-review', days: 'sat', from: '9:00', to: '13:00', servers: '2' },
  };
  // Opening hours need a chain with a calendar (calendar hours, 168 a week).
  const withHours = (() => {
    const draft = draftOf(planning);
    draft.hoursPerWeek = 168;
    draft.calendar = {};
    const result = check(draft);
    if (!result.ok) throw new Error(result.issues.map((i) => i.message).join());
    return result.chain;
  })();

  it('covers every kind, and each answer becomes a change the engine accepts', () => {
    expect(CHANGE_KINDS.map((k) => k.kind).sort()).toEqual(Object.keys(answers).sort());
    for (const kind of CHANGE_KINDS) {
      const reader = new FieldReader(answers[kind.kind] ?? {});
      const subject = kind.needs === 'calendar' ? withHours : planning;
      const change = kind.read(reader, subject);
      expect(reader.errors, kind.kind).toBeNull();
      expect(change, kind.kind).toBeDefined();
      if (change === undefined) continue;
      const intervention = { id: 'x', name: 'x', changes: [change] } as Intervention;
      const applied = applyInterventions(subject, [intervention]);
      expect(
        applied.ok,
        `${kind.kind}: ${applied.ok ? '' : applied.issues.map((i) => i.message).join()}`,
      ).toBe(true);
      expect(describeChange(change, subject).length).toBeGreaterThan(10);
    }
  });

  it('adds Saturday morning hours to a stage, and refuses them without opening hours', () => {
    const kind = CHANGE_KINDS.find((k) => k.kind === 'extendHours');
    const reader = new FieldReader(answers.extendHours ?? {});
    const change = kind?.read(reader, withHours);
    expect(change).toEqual({
      kind: 'extendHours',
      stage: 'manual-review',
      shift: { days: ['sat'], from: '09:00', to: '13:00', servers: 2 },
    });
    if (change !== undefined)
      expect(describeChange(change, withHours)).toBe(
        'Manual review: extra hours, Saturday 09:00–13:00, 2 on duty',
      );
    const bad = new FieldReader({
      stage: 'manual-review',
      days: 'sat',
      from: '13:00',
      to: '9:00',
      servers: '1e308',
    });
    // The planning demo works to office hours; the same chain without them refuses extra hours.
    kind?.read(bad, parseChainOrThrow(withoutOpeningHours(planningPermitChainJson)));
    expect(bad.errors?.list.map((e) => e.text)).toEqual([
      'This chain has no opening hours: set them on the chain first',
      'The staff on duty must be a whole number from 1 to 1000',
    ]);
  });

  it('says what is wrong with an answer', () => {
    const kind = CHANGE_KINDS.find((k) => k.kind === 'scaleServiceTime');
    const reader = new FieldReader({ stage: 'nowhere', percent: 'fast' });
    kind?.read(reader, planning);
    expect(reader.errors?.list.map((e) => e.text)).toEqual([
      'Select a stage',
      'The time per case as a percentage must be a number greater than 0',
    ]);
  });
});

describe('form helpers', () => {
  it('makes unique ids from names', () => {
    expect(slugFor('Manual review', [])).toBe('manual-review');
    expect(slugFor('Manual review', ['manual-review'])).toBe('manual-review-2');
    expect(slugFor('Exit', [])).toBe('exit-2');
    expect(slugFor('***', [], 'stage')).toBe('stage');
  });

  it('reads service times back from the fields it writes', () => {
    for (const stage of [...planning.stages, ...demoChains.policeProsecutionCourts.stages]) {
      const reader = new FieldReader(serviceFields(stage.service));
      expect(readService(reader)).toEqual(stage.service);
      expect(reader.errors).toBeNull();
    }
    const reader = new FieldReader({ serviceKind: 'empirical', samples: '1, 2, x' });
    expect(readService(reader)).toBeUndefined();
    expect(reader.errors?.list[0]?.text).toContain('greater than 0');
  });

  it('checks a draft with the engine', () => {
    const draft = draftOf(planning);
    const review = draft.stages.find((s) => s.id === 'manual-review');
    if (review) review.routes = [{ to: 'approval', probability: 0.5 }];
    const result = check(draft);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues[0]?.message).toContain(
        'stage "manual-review": routing probabilities sum to 0.5',
      );
  });
});
