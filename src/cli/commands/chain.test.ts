// The `throughline chain` command on the example files that ship in the repository, and a guard
// that those files stay identical to the demo chains in src/domain/chain/demo.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../index.ts';
import {
  householdRecyclingChainJson,
  planningPermitChainJson,
  policeProsecutionCourtsChainJson,
} from '../../domain/chain/index.ts';

const example = (name: string): string =>
  fileURLToPath(new URL(`../../../examples/chains/${name}.json`, import.meta.url));

async function run(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    out += `${parts.map(String).join(' ')}\n`;
  });
  const code = await main(['node', 'throughline', ...args]);
  return { code, out };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('throughline chain', () => {
  it('ships the demo chains as example files that equal the demo data', () => {
    for (const [name, data] of [
      ['planning-permit', planningPermitChainJson],
      ['police-prosecution-courts', policeProsecutionCourtsChainJson],
      ['household-recycling', householdRecyclingChainJson],
    ] as const) {
      expect(JSON.parse(readFileSync(example(name), 'utf8'))).toEqual(data);
    }
  });

  it('analyses the planning-permit example as JSON and names manual review as the bottleneck', async () => {
    const { code, out } = await run('chain', 'analyse', example('planning-permit'), '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      analysis: { bottleneck: { stageId: string; explanation: string }; stable: boolean };
      simulation: unknown;
    };
    expect(result.analysis.bottleneck.stageId).toBe('manual-review');
    expect(result.analysis.bottleneck.explanation).toContain('Manual review');
    expect(result.analysis.stable).toBe(false);
    expect(result.simulation).toBeNull();
  });

  it('prints a readable table with the bottleneck marked', async () => {
    const { code, out } = await run('chain', 'analyse', example('police-prosecution-courts'));
    expect(code).toBe(0);
    expect(out).toMatch(/Investigation and witness statements.*← bottleneck/);
  });
});
