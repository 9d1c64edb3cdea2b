// Every sub-command of `throughline`. Each module exports a function that adds its command to the
// program; the command's engine (src/domain/…) is imported only inside its action, so starting the
// program, or running one sub-command, never loads the other engines' code.
import type { Command } from 'commander';
import { registerBackupCommand } from './backup.ts';
import { registerChainCommand } from './chain.ts';
import { registerFrameworkCommand } from './framework.ts';
import { registerLogCommand } from './log.ts';
import { registerMailCommand } from './mail.ts';
import { registerOrgCommand } from './org.ts';
import { registerReadinessCommand } from './readiness.ts';
import { registerThemesCommand } from './themes.ts';
import { registerUserCommand } from './user.ts';

export const commands: ReadonlyArray<(program: Command) => void> = [
  registerFrameworkCommand,
  registerChainCommand,
  registerLogCommand,
  registerThemesCommand,
  registerReadinessCommand,
  registerMailCommand,
  registerUserCommand,
  registerBackupCommand,
  registerOrgCommand,
];
