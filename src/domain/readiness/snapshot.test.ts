// A readiness snapshot keeps the verdict as it was: a later table version never rewrites it.
import { describe, expect, it } from 'vitest';
import { assessReadiness } from './assess.ts';
import { snapshotReadiness } from './snapshot.ts';
import { DEFAULT_READINESS_TABLE, parseReadinessTableOrThrow } from './table.ts';
import { initiative, levels } from '../../../test/helpers/readiness.ts';
import defaultDocument from './documents/hoskins-2025-readiness.json' with { type: 'json' };

const round = { roundId: 'round-1', title: 'Spring round', date: '2026-03-27' };
const pilot = initiative({ title: 'Pilot: a chatbot for staff' });
const given = levels([3, 3, 3, 3, 3], ['managing-risk']);

describe('snapshotReadiness', () => {
  it('records the verdict, the levels and their sources, the round, the table and the time', () => {
    const result = assessReadiness({ initiative: pilot, levels: given });
    const snapshot = snapshotReadiness(result, {
      assessment: round,
      computedAt: '2026-04-02T09:30:00+01:00',
    });
    expect(snapshot).toMatchObject({
      snapshotVersion: 1,
      verdict: 'ready',
      summary: result.summary,
      inputs: {
        levels: given,
        assessment: round,
        table: { id: 'hoskins-2025-readiness', version: '1.0.0' },
        framework: { id: 'hoskins-2025' },
      },
      computedAt: '2026-04-02T08:30:00.000Z',
    });
    expect(snapshot.inputs.levels.find((l) => l.capabilityId === 'managing-risk')?.source).toBe(
      'agreed',
    );
    expect(snapshot.inputs.initiative.title).toBe('Pilot: a chatbot for staff');
    // Plain JSON: what is stored is what is read back.
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(Object.isFrozen(snapshot.result.capabilities[0]?.requirements)).toBe(true);
  });

  it('stays as it was when the table changes; a new check gives the new verdict', () => {
    const before = assessReadiness({ initiative: pilot, levels: given });
    const snapshot = snapshotReadiness(before, { assessment: round, computedAt: new Date(0) });
    const stored = JSON.stringify(snapshot);

    const stricter = parseReadinessTableOrThrow({
      ...defaultDocument,
      version: '2.0.0',
      ambitions: {
        ...defaultDocument.ambitions,
        pilot: {
          ...defaultDocument.ambitions.pilot,
          requirements: {
            ...defaultDocument.ambitions.pilot.requirements,
            'managing-risk': {
              level: 2,
              reason: 'This body asks more of its pilots.',
              source: 'local policy',
            },
          },
        },
      },
    });
    const after = assessReadiness({ initiative: pilot, levels: given, table: stricter });
    expect(after.verdict).toBe('ready-with-conditions');
    expect(after.table.version).toBe('2.0.0');

    expect(JSON.stringify(snapshot)).toBe(stored);
    expect(snapshot.verdict).toBe('ready');
    expect(snapshot.inputs.table.version).toBe('1.0.0');
    expect(snapshot.result.capabilities[3]?.requiredLevel).toBe(3);
    expect(snapshot.result.capabilities[3]?.requirements[0]?.reason).toBe(
      DEFAULT_READINESS_TABLE.ambitions.pilot.requirements['managing-risk']?.reason,
    );
  });

  it('is a copy: changing the result object afterwards does not reach the snapshot', () => {
    const result = assessReadiness({ initiative: pilot, levels: given });
    const mutable = JSON.parse(JSON.stringify(result)) as typeof result;
    const snapshot = snapshotReadiness(mutable, { assessment: null, computedAt: new Date(0) });
    (mutable as { verdict: string }).verdict = 'not-ready';
    (mutable.capabilities[0] as { requiredLevel: number }).requiredLevel = 1;
    expect(snapshot.verdict).toBe('ready');
    expect(snapshot.result.capabilities[0]?.requiredLevel).toBe(3);
    expect(snapshot.inputs.assessment).toBeNull();
  });

  it('refuses a time that is not a date and time', () => {
    const result = assessReadiness({ initiative: pilot, levels: given });
    for (const bad of ['yesterday', '2026-04-02', new Date('nonsense')]) {
      expect(() => snapshotReadiness(result, { assessment: null, computedAt: bad })).toThrow(
        /^computedAt must be a date and time such as "2026-05-01T09:30:00Z", not /,
      );
    }
  });
});
