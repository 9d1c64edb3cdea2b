// The worker thread of an event-log import (started by eventlog-read.ts): reads the file, analyses
// it and encodes it for storage, reporting progress, and posts back the result or why it failed.
import { parentPort, workerData } from 'node:worker_threads';
import { ReadError, readAndAnalyse, type ReadRequest } from './eventlog-read.ts';

const { content, request } = workerData as { content: Uint8Array; request: ReadRequest };
let last = 0;
try {
  const result = await readAndAnalyse(content, request, (fraction, message) => {
    // At most a few messages a second: the job throttles its writes anyway.
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    parentPort?.postMessage({ type: 'progress', fraction, message });
  });
  // Handed over, not copied: a view over the whole of its own memory (copied into one if not).
  const whole =
    result.data.byteOffset === 0 && result.data.buffer.byteLength === result.data.byteLength;
  const data = whole
    ? new Uint8Array(result.data.buffer, 0, result.data.byteLength)
    : Uint8Array.from(result.data);
  parentPort?.postMessage({ type: 'done', result: { ...result, data } }, [
    data.buffer as ArrayBuffer,
  ]);
} catch (error) {
  parentPort?.postMessage({
    type: 'failed',
    failure:
      error instanceof ReadError
        ? error.failure
        : { kind: 'other', message: error instanceof Error ? error.message : String(error) },
  });
}
