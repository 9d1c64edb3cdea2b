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

  it('prints the three measures of Figure 1 for one chain, with volumes apart as context', async () => {
    const { code, out } = await run('chain', 'analyse', example('planning-permit'));
    expect(code).toBe(0);
    const budgetary = out.indexOf('Budgetary efficiency — how well inputs are bought');
    const operational = out.indexOf('Operational efficiency — how inputs are turned into outputs');
    const effectiveness = out.indexOf('Effectiveness — how outputs achieve outcomes');
    const context = out.indexOf('Context — ');
    expect([budgetary, operational, effectiveness, context].every((i) => i >= 0)).toBe(true);
    const section = (from: number, to: number) => out.slice(from, to);
    // (2 × 28 + 32 + 4 × 45 + 60 + 25) / 9 = 39.22 an hour; the case system is one unit at 400.
    expect(section(budgetary, operational)).toMatch(/Cost per staff or machine hour\s+39\.22/);
    expect(section(budgetary, operational)).toMatch(/Cost per unit of other inputs, a week\s+400/);
    expect(section(operational, effectiveness)).toMatch(/Outputs a week \(throughput\)\s+12\.0/);
    expect(section(effectiveness, context)).toMatch(/Outcomes per output\s+94%/);
    expect(section(effectiveness, context)).not.toContain('Outcomes a week');
    expect(section(context, out.length)).toMatch(/Outcomes a week\s+11\.3/);
  });

  it('compares scenarios family by family, with the typology’s reasons', async () => {
    const { code, out } = await run(
      'chain',
      'compare',
      example('planning-permit'),
      '--no-simulate',
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /AI review support for planners\s+Decision and approval\s+did not move\s+better\s+did not move/,
    );
    expect(out).toMatch(/Outcomes per output\s+94%\s+94%\s+94%\s+94%/);
    expect(out).toMatch(/Outcomes a week\s+11\.3\s+11\.3\s+11\.3\s+13\.4 \(\+18\.3%\)/);
    expect(out).toContain(
      '  Suggested cell 5 (technical, operational; improves): The same task made quicker: Manual review takes 30% less time per application.',
    );
    expect(out).toContain(
      '  Operational efficiency: No operational efficiency measure moved, so no cell is suggested here, although: The same task made quicker: Permit printing takes 50% less time per application.',
    );
  });

  it('prints a readable table with the bottleneck marked', async () => {
    const { code, out } = await run('chain', 'analyse', example('police-prosecution-courts'));
    expect(code).toBe(0);
    expect(out).toMatch(/Investigation and witness statements.*← bottleneck/);
  });
});
