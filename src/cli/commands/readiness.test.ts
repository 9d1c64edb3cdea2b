// The `throughline readiness` command on the example files that ship in the repository, its errors
// and exit codes, and a guard that the example results file stays what the product's own
// `roundReport` export produces from the example answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../index.ts';
import { exampleAssessmentResults } from '../../domain/readiness/example.ts';
import { parseInitiativeFile } from '../../domain/initiatives/schema.ts';
import defaultTable from '../../domain/readiness/documents/hoskins-2025-readiness.json' with { type: 'json' };

const example = (name: string): string =>
  fileURLToPath(new URL(`../../../examples/initiatives/${name}.json`, import.meta.url));
const results = example('assessment-results');

const scratch = mkdtempSync(path.join(tmpdir(), 'throughline-readiness-'));
const scratchFile = (name: string, content: string): string => {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
};

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    out += `${parts.map(String).join(' ')}\n`;
  });
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
    err += `${parts.map(String).join(' ')}\n`;
  });
  // Commander writes its own usage errors to stderr directly.
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  const code = await main(['node', 'throughline', 'readiness', ...args]);
  return { code, out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('throughline readiness: the examples', () => {
  it('ships a results file equal to what roundReport writes from the example answers', () => {
    expect(JSON.parse(readFileSync(results, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(exampleAssessmentResults())),
    );
  });

  it('ships initiative files that are valid', () => {
    for (const name of [
      'staff-chatbot-pilot',
      'meeting-notes-pilot',
      'planning-review-predictor',
    ]) {
      const parsed = parseInitiativeFile(JSON.parse(readFileSync(example(name), 'utf8')));
      expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    }
  });

  it('finds the off-the-shelf staff pilot ready (exit code 0)', async () => {
    const { code, out } = await run(
      '--initiative',
      example('staff-chatbot-pilot'),
      '--assessment',
      results,
    );
    expect(code).toBe(0);
    expect(out).toContain('\nREADY\n');
    expect(out).toContain(
      'Ready: all five capabilities are at or better than the levels that a pilot needs.',
    );
    expect(out).toContain(
      'Assessment: Northshire Council capability self-assessment, spring 2026, 2026-03-30 (framework hoskins-2025',
    );
    // The agreed planning level is used, and said to be agreed.
    expect(out).toMatch(/Planning & Prioritisation\s+Adequate \(3\) or better\s+2 Good\s+agreed/);
    expect(out).toContain('Levels: 1 = Outstanding (best) … 5 = Inadequate (worst)');
  });

  it('names the condition for the pilot with several suppliers (exit code 2)', async () => {
    const { code, out } = await run(
      '--initiative',
      example('meeting-notes-pilot'),
      '--assessment',
      results,
    );
    expect(code).toBe(2);
    expect(out).toContain('READY WITH CONDITIONS');
    expect(out).toContain('Conditions to meet before approval:');
    expect(out).toContain(
      "Before approval, Managing Supplier Relations must reach Good (2) or better; it is at 3 Adequate (respondents' median).",
    );
    expect(out).toContain(
      "   • Make sure that a dedicated 'intelligent customer' team has the technical expertise to co-design solutions.",
    );
  });

  it('finds the bespoke predictive system affecting the public not ready, Managing Risk first', async () => {
    const { code, out } = await run(
      '--initiative',
      example('planning-review-predictor'),
      '--assessment',
      results,
    );
    expect(code).toBe(2);
    expect(out).toContain(
      'Not ready: Managing Risk is at 3 Adequate, one level short of the Good (2) that a bespoke system affecting the public and informing decisions about people needs, and this shortfall cannot be a condition because the requirement protects people from harm. Three other capabilities also fall short.',
    );
    expect(out).toContain('What blocks it, largest gap first:');
    expect(out).toContain('1. Managing Risk: 3 Adequate, needs Good (2) or better');
    // Most of the 15 respondents already see a formal risk framework (9), so it is not an action.
    expect(out).toContain(
      '   • Make sure that senior managers have line of sight of project-level risks.',
    );
    expect(out).not.toContain('Make sure that a formal risk management framework');
    expect(out).toContain('• It affects members of the public.');
  });

  it('prints the whole result as JSON for machines', async () => {
    const { code, out } = await run(
      '--initiative',
      example('planning-review-predictor'),
      '--assessment',
      results,
      '--json',
    );
    expect(code).toBe(2);
    const result = JSON.parse(out) as {
      verdict: string;
      blocking: { capabilityId: string; gap: number; critical: boolean }[];
      assessment: { roundId: string };
      table: { id: string; version: string };
    };
    expect(result.verdict).toBe('not-ready');
    expect(result.blocking.map((b) => [b.capabilityId, b.gap, b.critical])).toEqual([
      ['managing-risk', 1, true],
      ['organisational-learning', 1, true],
      ['developing-new-ways-of-working', 1, false],
      ['managing-supplier-relations', 1, false],
    ]);
    expect(result.assessment.roundId).toBe('round-2026-spring');
    expect(result.table).toEqual({ id: 'hoskins-2025-readiness', version: '1.0.0' });
  });

  it('uses an edited table, and says when it is unusual', async () => {
    const table = structuredClone(defaultTable);
    table.version = '1.1.0';
    table.ambitions.pilot.requirements['managing-risk'].level = 1;
    const file = scratchFile('stricter-pilots.json', JSON.stringify(table));
    const { code, out, err } = await run(
      '--initiative',
      example('staff-chatbot-pilot'),
      '--assessment',
      results,
      '--table',
      file,
      '--json',
    );
    expect(code).toBe(2);
    expect(err).toContain(
      `note: ${file}: Managing Risk: a pilot asks for Outstanding (1), more than a bespoke system (Good (2)).`,
    );
    const result = JSON.parse(out) as { verdict: string; table: { version: string } };
    expect(result).toMatchObject({ verdict: 'not-ready', table: { version: '1.1.0' } });
  });
});

describe('throughline readiness: errors (exit code 1)', () => {
  it('lists every problem of an invalid initiative on its own line', async () => {
    const file = scratchFile(
      'bad-initiative.json',
      JSON.stringify({ title: '', competency: 'robots', ambition: 'pilot' }),
    );
    const { code, err } = await run('--initiative', file, '--assessment', results);
    expect(code).toBe(1);
    const lines = err.trim().split('\n');
    expect(lines[0]).toBe(`invalid initiative: ${file} (8 problems)`);
    expect(lines.slice(1)).toEqual([
      '  Enter a title',
      '  Describe the problem the initiative addresses',
      '  Competency must be one of "computer-vision", "natural-language-processing", "speech-analytics", "predictive-analytics", "chatbots", "large-language-models"',
      '  Select who the initiative affects (any of "staff", "public", "vulnerable")',
      '  Say which data the initiative uses',
      '  Say how the initiative is supplied (arrangement: one of "in-house", "single-end-to-end", "modular-multi-supplier")',
      '  Say whether it makes or informs decisions about individual people (true or false)',
      '  Say whether decisions are taken without meaningful human review (true or false)',
    ]);
  });

  it('says when the assessment file is not a results export, or the files are swapped', async () => {
    const swapped = await run(
      '--initiative',
      results,
      '--assessment',
      example('staff-chatbot-pilot'),
    );
    expect(swapped.code).toBe(1);
    expect(swapped.err).toMatch(/^invalid initiative: .*assessment-results\.json \(\d+ problems\)/);

    const { code, err } = await run(
      '--initiative',
      example('staff-chatbot-pilot'),
      '--assessment',
      example('planning-review-predictor'),
    );
    expect(code).toBe(1);
    expect(err).toContain(
      'not an assessment results export: expected "format": "throughline.assessment-results", found no "format" field',
    );
  });

  it('says when a file is missing or is not JSON', async () => {
    const missing = await run(
      '--initiative',
      path.join(scratch, 'nope.json'),
      '--assessment',
      results,
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`${path.join(scratch, 'nope.json')}: no such file\n`);

    const broken = scratchFile('broken.json', '{ "title": ');
    const notJson = await run(
      '--initiative',
      example('staff-chatbot-pilot'),
      '--assessment',
      broken,
    );
    expect(notJson.code).toBe(1);
    expect(notJson.err).toMatch(/^cannot read .*broken\.json as JSON \(assessment results\): /);
  });

  it('refuses an edited table that relaxes a rule', async () => {
    const table = structuredClone(defaultTable);
    const rule = table.rules[0]?.requirements as Record<string, { level: number } | undefined>;
    const risk = rule['managing-risk'];
    if (risk) risk.level = 5;
    const file = scratchFile('relaxed.json', JSON.stringify(table));
    const { code, err } = await run(
      '--initiative',
      example('staff-chatbot-pilot'),
      '--assessment',
      results,
      '--table',
      file,
    );
    expect(code).toBe(1);
    expect(err).toContain(`invalid readiness table: ${file} (1 problem)`);
    expect(err).toContain('so it could only relax a requirement');
  });

  it('asks for both files', async () => {
    const { code, err } = await run('--initiative', example('staff-chatbot-pilot'));
    expect(code).toBe(1);
    expect(err).toContain("required option '--assessment <file>' not specified");
  });
});
