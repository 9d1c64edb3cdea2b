// `throughline framework`: show the capability framework, print it as JSON, or check a body's own variant.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type * as FrameworkEngine from '../../domain/framework/index.ts';
import type { Framework } from '../../domain/framework/index.ts';

type Engine = typeof FrameworkEngine;

interface FrameworkOptions {
  json?: boolean;
  validate?: string;
}

export function registerFrameworkCommand(program: Command): void {
  program
    .command('framework')
    .description(
      'List the twelve capabilities of the framework (Hoskins 2025), print it as JSON, or validate a variant.',
    )
    .option('--json', 'print the whole framework document as JSON')
    .option(
      '--validate <file>',
      'check a framework variant (JSON file); exits with code 1 and lists each problem if it is invalid',
    )
    .action(async (options: FrameworkOptions) => {
      // Loaded when the command runs, so that other sub-commands do not pay for the framework.
      const engine = await import('../../domain/framework/index.ts');
      const { defaultFramework } = engine;
      if (options.validate !== undefined) {
        const variant = validateFile(engine, options.validate);
        if (options.json) {
          printJson(variant);
        } else {
          console.log(
            `valid: ${variant.id} ${variant.version}, ${variant.capabilities.length} capabilities`,
          );
        }
        return;
      }
      if (options.json) {
        printJson(defaultFramework);
        return;
      }
      console.log(renderList(engine, defaultFramework));
    });
}

function validateFile(
  { loadFramework, FrameworkValidationError }: Engine,
  file: string,
): Framework {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return loadFramework(raw);
  } catch (error) {
    if (!(error instanceof FrameworkValidationError)) throw error;
    // Thrown rather than printed here so that the CLI's single error path sets exit code 1.
    const count = error.issues.length;
    throw new Error(
      [
        `invalid: ${file} (${count} problem${count === 1 ? '' : 's'})`,
        ...error.issues.map((issue) => `  ${issue}`),
      ].join('\n'),
    );
  }
}

function printJson(fw: Framework): void {
  console.log(JSON.stringify(fw.document, null, 2));
}

function renderList({ levelName, MATURITY_LEVELS }: Engine, fw: Framework): string {
  const rows = fw.capabilities.map((capability) => [
    String(capability.number),
    capability.name,
    capability.scope,
    capability.section,
  ]);
  const header = ['#', 'Capability', 'Scope', 'Section'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padStart(widths[0] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();

  const { document } = fw;
  return [
    `${document.title}`,
    `${document.source.shortCitation} · ${fw.id} ${fw.version}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    // The paper numbers levels best first; say so wherever levels are shown.
    'Levels (1 is best, 5 is worst):',
    ...MATURITY_LEVELS.map((level) => {
      const name =
        document.levels.find((entry) => entry.number === level)?.name ?? levelName(level);
      const labels = document.scopes.map((scope) => `${scope.id}: ${scope.levelLabels[level]}`);
      return `  ${level}  ${name} (${labels.join('; ')})`;
    }),
  ].join('\n');
}
