#!/usr/bin/env node
// The `throughline` command. The code is TypeScript run through tsx, so the checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
// Piping into `head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv);
