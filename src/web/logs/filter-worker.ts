// The worker thread of a filtered view of a large log (started by filtered.ts): decodes the stored
// log, keeps the cases the filter asks for, analyses them and posts back the analysis alone.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseLog, filterLog, type LogFilter } from '../../domain/mining/index.ts';
import { decodeEventLog } from '../../storage/repositories/logs-codec.ts';

const { data, filter } = workerData as { data: Uint8Array; filter: LogFilter };
try {
  const chosen = filterLog(decodeEventLog(data), filter);
  parentPort?.postMessage({
    type: 'done',
    analysis: chosen.caseIds.length === 0 ? null : analyseLog(chosen),
  });
} catch (error) {
  parentPort?.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  });
}
