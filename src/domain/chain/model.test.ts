// Schema and meaning checks of the chain JSON: errors must name the field and the stage.
import { describe, expect, it } from 'vitest';
import { chainJsonSchema, parseChain } from './model.ts';
import { planningPermitChainJson } from './demo.ts';

function withStage(index: number, patch: Record<string, unknown>): unknown {
  const json = structuredClone(planningPermitChainJson) as { stages: Record<string, unknown>[] };
  json.stages[index] = { ...json.stages[index], ...patch };
  return json;
}

function messages(raw: unknown): string[] {
  const result = parseChain(raw);
  return result.ok ? [] : result.issues.map((i) => i.message);
}

describe('parseChain', () => {
  it('accepts the demo chain, fills defaults and freezes the result', () => {
    const result = parseChain(planningPermitChainJson);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.chain.stages).toHaveLength(5);
    expect(result.chain.stages[0]?.costPerCase).toBe(0);
    expect(Object.isFrozen(result.chain.stages[0])).toBe(true);
  });

  it('names the stage when routing probabilities do not sum to 1', () => {
    const raw = withStage(2, {
      routes: [
        { to: 'approval', probability: 1 },
        { to: 'validation', probability: 0.2, rework: true },
      ],
    });
    expect(messages(raw)).toContain(
      'stage "manual-review": routing probabilities sum to 1.2, expected 1',
    );
  });

  it('names the stage and field for a type error', () => {
    const result = parseChain(withStage(1, { servers: 0 }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.path).toBe('stages.1.servers');
    expect(result.issues[0]?.message).toMatch(/^stage "validation", field "servers": /);
  });

  it('rejects unknown route targets, rework to an output and unknown demand stages', () => {
    const raw = withStage(3, {
      routes: [
        { to: 'nowhere', probability: 0.5 },
        { to: 'refused', probability: 0.5, rework: true },
      ],
    }) as { demand: unknown[] };
    raw.demand = [{ stage: 'front-desk', rate: 1, per: 'week' }];
    const all = messages(raw);
    expect(all).toContain(
      'stage "approval": routes to "nowhere", which is not a stage, an output or "exit"',
    );
    expect(all).toContain('stage "approval": rework route to "refused" must go back to a stage');
    expect(all).toContain('demand arrives at "front-desk", which is not a stage');
  });

  it('rejects duplicate ids and a loop no case can leave', () => {
    const json = structuredClone(planningPermitChainJson) as { stages: Record<string, unknown>[] };
    json.stages[4] = { ...json.stages[4], routes: [{ to: 'approval', probability: 1 }] };
    json.stages[3] = { ...json.stages[3], routes: [{ to: 'printing', probability: 1 }] };
    expect(messages(json)).toContain(
      'stage "approval": cases can never leave the chain from here (every route loops back)',
    );
    const dup = withStage(1, { id: 'submission' });
    expect(messages(dup).some((m) => m.includes('id is used twice'))).toBe(true);
  });

  it('requires the version and the explicit time unit', () => {
    const json = { ...structuredClone(planningPermitChainJson), version: 2, timeUnit: 'day' };
    const result = parseChain(json);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['version', 'timeUnit']));
  });

  it('checks interventions against the chain', () => {
    const json = structuredClone(planningPermitChainJson) as { interventions: unknown[] };
    json.interventions = [
      {
        id: 'bad',
        name: 'Bad',
        changes: [{ kind: 'scaleServiceTime', stage: 'review', factor: 0.5 }],
      },
    ];
    expect(messages(json)).toContain('intervention "bad": changes "review", which is not a stage');
  });

  it('does not let an input replace one that is still bought, or one that does not exist', () => {
    const json = structuredClone(planningPermitChainJson) as {
      inputs: Record<string, unknown>[];
      interventions: unknown[];
    };
    json.inputs.push({
      id: 'cloud-system',
      name: 'Cloud case system',
      kind: 'equipment',
      costPerWeek: 250,
      quantity: 5,
      replaces: 'case-system',
    });
    json.interventions = [
      {
        id: 'swap',
        name: 'Swap',
        changes: [
          {
            kind: 'addInput',
            input: { id: 'x', name: 'X', kind: 'equipment', costPerWeek: 1, replaces: 'nothing' },
          },
        ],
      },
    ];
    expect(messages(json)).toEqual([
      'input "cloud-system": replaces "case-system", which is still bought',
      'intervention "swap": "x" replaces "nothing", which is not another input',
    ]);
  });

  it('publishes a JSON Schema of the file format', () => {
    const schema = chainJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(
      expect.arrayContaining(['version', 'timeUnit', 'stages', 'demand']),
    );
    expect(schema.required).not.toContain('hoursPerWeek');
    expect(Object.keys(schema.properties)).toContain('interventions');
  });
});
