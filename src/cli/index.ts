// The `throughline` command line: one sub-command per engine, each a thin wrapper over the pure domain.
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command()
    .name('throughline')
    .description(
      'Throughline: find the bottleneck in a delivery chain, assess the twelve capabilities, and test AI initiatives against them.',
    )
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end with exitCode 0; usage errors have already been printed.
      return error.exitCode;
    }
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
