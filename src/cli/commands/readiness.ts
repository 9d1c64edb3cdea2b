// `throughline readiness`: is the organisation ready for an AI initiative? Reads an initiative file and
// an assessment results export (and optionally an edited readiness table), and prints the verdict, the
// capability gaps that block it and the first actions — a thin wrapper over src/domain/readiness.
//
// Exit codes: 0 ready; 2 judged but not ready (ready with conditions, not ready, or no assessment),
// so a script can tell "go" from "not yet"; 1 when the files cannot be read or are invalid.
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import type * as ReadinessEngine from '../../domain/readiness/index.ts';
import type { ReadinessResult, ReadinessTable } from '../../domain/readiness/index.ts';
import type * as InitiativeSchema from '../../domain/initiatives/schema.ts';
import type { InitiativeFile } from '../../domain/initiatives/schema.ts';
import type { MaturityLevel } from '../../domain/framework/index.ts';

interface ReadinessOptions {
  initiative: string;
  assessment: string;
  table?: string;
  json?: boolean;
}

/** Exit code when the verdict is anything but ready. */
export const NOT_READY_EXIT_CODE = 2;

export function registerReadinessCommand(program: Command): void {
  program
    .command('readiness')
    .description(
      'Is the organisation ready for an AI initiative? Compares its assessed capability levels with what the initiative needs (paper section 3).',
    )
    .requiredOption('--initiative <file>', 'initiative JSON file')
    .requiredOption(
      '--assessment <file>',
      'assessment results export (JSON, format "throughline.assessment-results")',
    )
    .option('--table <file>', 'an edited readiness table (JSON) instead of the default one')
    .option('--json', 'print the full result as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 ready; 2 ready with conditions, not ready or no assessment; 1 the files cannot be used.',
    )
    .action(async (options: ReadinessOptions) => {
      // Loaded when the command runs, so that other sub-commands do not pay for these engines.
      const engine = await import('../../domain/readiness/index.ts');
      const { parseInitiativeFile } = await import('../../domain/initiatives/schema.ts');
      const { defaultFramework, levelName } = await import('../../domain/framework/index.ts');

      const initiative = loadInitiative(parseInitiativeFile, options.initiative);
      const inputs = loadAssessment(engine, options.assessment);
      if (inputs.framework.id !== defaultFramework.id) {
        throw new Error(
          `${options.assessment}: the results were made with framework "${inputs.framework.id}"; this command knows only "${defaultFramework.id}"`,
        );
      }
      const table =
        options.table === undefined
          ? engine.DEFAULT_READINESS_TABLE
          : loadTable(engine, options.table);

      const result = engine.assessReadiness({
        initiative,
        levels: inputs.levels,
        table,
        framework: defaultFramework,
        results: inputs.results,
      });
      if (options.json === true) {
        console.log(JSON.stringify({ ...result, assessment: inputs.assessment }, null, 2));
      } else {
        printResult(result, inputs.assessment, inputs.framework, levelName);
      }
      if (result.verdict !== 'ready') {
        // Through commander's exit path, so that main() returns the code without printing anything more.
        throw new CommanderError(NOT_READY_EXIT_CODE, 'throughline.notReady', result.summary);
      }
    });
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read the ${what}`}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `cannot read ${file} as JSON (${what}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function invalid(file: string, what: string, issues: readonly string[]): Error {
  const n = issues.length;
  return new Error(
    [
      `invalid ${what}: ${file} (${n} problem${n === 1 ? '' : 's'})`,
      ...issues.map((i) => `  ${i}`),
    ].join('\n'),
  );
}

function loadInitiative(
  parse: (typeof InitiativeSchema)['parseInitiativeFile'],
  file: string,
): InitiativeFile {
  const result = parse(readJson(file, 'initiative'));
  if (!result.ok)
    throw invalid(
      file,
      'initiative',
      result.issues.map((i) => i.message),
    );
  return result.initiative;
}

function loadAssessment(engine: typeof ReadinessEngine, file: string) {
  const result = engine.readinessInputsFromReport(readJson(file, 'assessment results'));
  if (!result.ok) throw invalid(file, 'assessment results', result.issues);
  return result;
}

function loadTable(engine: typeof ReadinessEngine, file: string): ReadinessTable {
  const result = engine.parseReadinessTable(readJson(file, 'readiness table'));
  for (const warning of result.warnings) console.error(`note: ${file}: ${warning.message}`);
  if (!result.ok)
    throw invalid(
      file,
      'readiness table',
      result.issues.map((i) => i.message),
    );
  return result.table;
}

const VERDICT_TITLES: Readonly<Record<ReadinessResult['verdict'], string>> = {
  ready: 'READY',
  'ready-with-conditions': 'READY WITH CONDITIONS',
  'not-ready': 'NOT READY',
  'no-assessment': 'NO ASSESSMENT',
};

function printResult(
  result: ReadinessResult,
  assessment: ReadinessEngine.AssessmentReference,
  framework: { id: string; version: string },
  levelName: (level: MaturityLevel) => string,
): void {
  const levelText = (level: MaturityLevel | null) =>
    level === null ? 'not rated' : `${level} ${levelName(level)}`;
  const needs = (level: MaturityLevel) => `${levelName(level)} (${level}) or better`;
  // A snapshot's date is an instant; the day is what a reader needs.
  const day = assessment.date?.slice(0, 10) ?? null;
  const round = [assessment.title ?? assessment.roundId ?? 'an assessment round', day]
    .filter((part) => part !== null)
    .join(', ');
  console.log(`${result.initiative.title}`);
  console.log(`Assessment: ${round} (framework ${framework.id} ${framework.version})`);
  console.log(`Readiness table: ${result.table.id} ${result.table.version}`);
  console.log('');
  console.log(`${VERDICT_TITLES[result.verdict]}`);
  console.log(result.summary);
  console.log('');

  const rows = [
    ['capability', 'needs', 'is', 'from', 'short by'],
    ...result.capabilities.map((c) => [
      c.name,
      needs(c.requiredLevel),
      levelText(c.actualLevel),
      c.source === 'agreed' ? 'agreed' : c.source === 'median' ? 'median' : '—',
      c.gap === null
        ? '?'
        : c.gap === 0
          ? '—'
          : `${c.gap}${c.critical ? ' (protects people)' : ''}`,
    ]),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((r) => (r[column] ?? '').length))) ?? [];
  rows.forEach((row, index) => {
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
  console.log('Levels: 1 = Outstanding (best) … 5 = Inadequate (worst); a lower number is better.');

  if (result.rulesApplied.length > 0) {
    console.log('\nRisk rules that apply:');
    for (const rule of result.rulesApplied) console.log(`• ${rule.description}`);
  }

  if (result.blocking.length > 0) {
    console.log(
      result.verdict === 'ready-with-conditions'
        ? '\nConditions to meet before approval:'
        : '\nWhat blocks it, largest gap first:',
    );
    result.blocking.forEach((b, index) => {
      const capability = result.capabilities.find((c) => c.capabilityId === b.capabilityId);
      console.log(
        `\n${index + 1}. ${b.name}: ${levelText(b.actualLevel)}, needs ${needs(b.requiredLevel)}`,
      );
      console.log(`   ${b.condition ?? b.explanation}`);
      for (const source of capability?.requirements.filter((r) => r.binding) ?? []) {
        console.log(`   Why: ${source.text} ${source.reason} (${source.source})`);
      }
      if (b.firstActions !== null && b.firstActions.actions.length > 0) {
        console.log(`   First actions, to reach ${levelText(b.firstActions.toLevel)}:`);
        for (const action of b.firstActions.actions) console.log(`   • ${action.action}`);
      }
    });
  }
  console.log(`\n(${result.verdictRule})`);
}
