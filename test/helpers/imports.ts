// An event log import queued as the upload pages queue one, for the tests that kill the process
// running it (jobs-crash.test.ts, crash-safety.test.ts).
import { gzipSync } from 'node:zlib';
import { EVENTLOG_IMPORT } from '../../src/jobs/index.ts';
import type { ImportPayload } from '../../src/jobs/eventlog-import.ts';
import type { OrgScope } from '../../src/storage/index.ts';

/** A CSV event log of `events` events (four per case), gzip-compressed as uploads are stored. */
export function generatedLog(events: number): Buffer {
  const activities = ['Receive', 'Check', 'Decide', 'Notify'];
  const start = Date.UTC(2024, 0, 1);
  const lines = ['case,activity,timestamp'];
  for (let i = 0; i < events; i++) {
    const c = Math.floor(i / 4);
    const at = new Date(start + c * 60_000 + (i % 4) * 3_600_000 + (c % 7) * 600_000);
    lines.push(`C${c},${activities[i % 4]},${at.toISOString()}`);
  }
  return gzipSync(lines.join('\n'));
}

/** Records an uploaded log and queues its import, as the upload pages do. */
export async function queueImport(
  scope: OrgScope,
  content: Buffer,
  name: string,
  maxAttempts: number,
): Promise<string> {
  const uploadId = await scope.logs.createUpload({
    fileName: `${name}.csv`,
    format: 'csv',
    sizeBytes: content.length,
    content,
    columns: ['case', 'activity', 'timestamp'],
    sample: [],
  });
  const payload: ImportPayload = {
    uploadId,
    name,
    columns: {
      caseId: 'case',
      activity: 'activity',
      timestamp: 'timestamp',
      startTimestamp: null,
      lifecycle: null,
      resource: null,
      group: null,
      caseAttributes: [],
    },
    dateOrder: 'auto',
    timeZone: 'Europe/London',
  };
  return scope.jobs.create(EVENTLOG_IMPORT, payload, undefined, maxAttempts);
}
