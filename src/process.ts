// The two long-running processes (`npm start`, src/main.ts, and `npm run worker`, src/worker.ts)
// start and stop the same way: a start-up error is printed without a stack trace and exits 1; SIGINT
// or SIGTERM closes what is open, once, then exits.

/** Runs the process's main function; a failure is printed plainly and ends the process with 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/**
 * On the first SIGINT or SIGTERM: `announce` says what happens, `close` finishes the work in flight
 * and closes connections, then the process exits (1 if closing failed). Later signals are ignored.
 */
export function stopOnSignals(
  announce: (signal: string) => void,
  close: () => Promise<void>,
): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    announce(signal);
    try {
      await close();
      process.exit(0);
    } catch (error) {
      console.error('Stopping failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
