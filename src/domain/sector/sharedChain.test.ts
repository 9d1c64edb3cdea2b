import { describe, expect, it } from 'vitest';
import { analyseChain, demoChains } from '../chain/index.ts';
import {
  applyStageFigures,
  figureChanges,
  onlyStageFiguresChanged,
  readSharedScenarios,
  stageFigures,
  structureChanges,
} from './sharedChain.ts';

const chain = demoChains.policeProsecutionCourts;

describe('a stage owner’s figures', () => {
  it('reads the stage as its owner sees it, with its rework share', () => {
    expect(stageFigures(chain, 'prosecution')).toEqual({
      servers: 5,
      meanHours: 4,
      costPerServerHour: 55,
      reworkShare: 0.1,
    });
    expect(stageFigures(chain, 'police')?.reworkShare).toBeNull();
    expect(stageFigures(chain, 'nowhere')).toBeUndefined();
  });

  it('changes only that stage, through the engine, and moves the bottleneck when police speed up', () => {
    const before = stageFigures(chain, 'police');
    if (!before) throw new Error('no police stage');
    const applied = applyStageFigures(chain, 'police', { ...before, meanHours: 6 });
    if (!applied.ok) throw new Error('refused');
    expect(analyseChain(chain).bottleneck.stageId).toBe('police');
    expect(analyseChain(applied.chain).bottleneck.stageId).toBe('courts');
    for (const id of ['prosecution', 'courts'])
      expect(applied.chain.stages.find((s) => s.id === id)).toEqual(
        chain.stages.find((s) => s.id === id),
      );
    expect(stageFigures(applied.chain, 'police')?.meanHours).toBeCloseTo(6, 9);
    expect(figureChanges(before, { ...before, meanHours: 6 })).toEqual({
      meanHours: { before: 9.5, after: 6 },
    });
  });

  it('sets the share sent back for rework and lets the other routes take up the rest', () => {
    const before = stageFigures(chain, 'prosecution');
    if (!before) throw new Error('no prosecution stage');
    const applied = applyStageFigures(chain, 'prosecution', { ...before, reworkShare: 0.05 });
    if (!applied.ok) throw new Error('refused');
    const routes = applied.chain.stages.find((s) => s.id === 'prosecution')?.routes ?? [];
    expect(routes.find((r) => r.to === 'police')?.probability).toBeCloseTo(0.05, 9);
    expect(routes.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 9);
  });

  it('refuses figures the engine refuses, naming the problem', () => {
    const before = stageFigures(chain, 'prosecution');
    if (!before) throw new Error('no prosecution stage');
    const applied = applyStageFigures(chain, 'prosecution', { ...before, reworkShare: 20 });
    expect(applied.ok).toBe(false);
  });
});

describe('scenarios read across organisations', () => {
  const readings = readSharedScenarios(chain);

  it('says the police-only improvement moves the bottleneck to a stage another organisation runs', () => {
    const police = readings.find((r) => r.interventionId === 'ai-statements-police-view');
    expect(police?.bottleneckAfter.stageId).toBe('courts');
    expect(police?.findings[0]).toContain(
      'The bottleneck moves from Investigation and witness statements (Police force) to Court hearings (HM Courts & Tribunals Service): the gain at Police force is limited by a stage another organisation runs.',
    );
  });

  it('shows the court overloaded by the whole-chain effect of AI-drafted witness statements', () => {
    const whole = readings.find((r) => r.interventionId === 'ai-statements');
    expect(whole?.stable).toBe(false);
    const courts = whole?.loads.find((l) => l.stageId === 'courts');
    expect(courts?.before).toBeLessThan(1);
    expect(courts?.after).toBeGreaterThan(1);
    expect(whole?.findings.join(' ')).toContain(
      'Court hearings (HM Courts & Tribunals Service) becomes overloaded',
    );
    expect(whole?.findings.join(' ')).toContain('its backlog grows by');
  });
});

describe('the locked structure of a convened chain', () => {
  const police = stageFigures(chain, 'police');
  const faster = police ? applyStageFigures(chain, 'police', { ...police, meanHours: 6 }) : null;

  it('accepts a change to the owner’s own stage’s figures only', () => {
    if (!faster?.ok) throw new Error('refused');
    expect(onlyStageFiguresChanged(chain, faster.chain, 'police')).toBe(true);
    // The same change is not the prosecution's to make.
    expect(onlyStageFiguresChanged(chain, faster.chain, 'prosecution')).toBe(false);
    expect(onlyStageFiguresChanged(chain, chain, 'nowhere')).toBe(false);
  });

  it('refuses a change that renames a stage, reroutes work or touches another stage', () => {
    const renamed = {
      ...chain,
      stages: chain.stages.map((s) => (s.id === 'police' ? { ...s, name: 'Police (ours)' } : s)),
    };
    expect(onlyStageFiguresChanged(chain, renamed, 'police')).toBe(false);
    const rerouted = {
      ...chain,
      stages: chain.stages.map((s) =>
        s.id === 'police' ? { ...s, routes: [{ to: 'courts', probability: 1 }] } : s,
      ),
    };
    expect(onlyStageFiguresChanged(chain, rerouted, 'police')).toBe(false);
    const courtsToo = {
      ...chain,
      stages: chain.stages.map((s) => (s.id === 'courts' ? { ...s, servers: s.servers + 1 } : s)),
    };
    expect(onlyStageFiguresChanged(chain, courtsToo, 'police')).toBe(false);
    const dropped = { ...chain, stages: chain.stages.filter((s) => s.id !== 'courts') };
    expect(onlyStageFiguresChanged(chain, dropped, 'police')).toBe(false);
  });

  it('says in words what the institution changed in the structure', () => {
    const changed = {
      ...chain,
      stages: chain.stages
        .filter((s) => s.id !== 'courts')
        .map((s) => (s.id === 'police' ? { ...s, name: 'Investigation' } : s)),
    };
    const words = structureChanges(chain, changed);
    expect(words).toContain('stage Court hearings removed');
    expect(words).toContain('stage Investigation and witness statements renamed Investigation');
    // Figures alone are no structural change, unless a member owns the stage.
    if (!faster?.ok) throw new Error('refused');
    expect(structureChanges(chain, faster.chain)).toEqual([]);
    expect(structureChanges(chain, faster.chain, new Set(['police']))).toEqual([
      'figures of Investigation and witness statements changed by the convening institution',
    ]);
  });
});
