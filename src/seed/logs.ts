// The demo council's event log: the Dutch municipality's permit-receipt log (examples/eventlogs),
// imported and analysed as if a lead had uploaded it, so a newcomer sees the process map and the
// bottleneck finding at once (issue 5, point 5). About a tenth of a second.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importEventLog } from '../jobs/index.ts';
import type { OrgScope } from '../storage/index.ts';

export const RECEIPT_LOG = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'examples',
  'eventlogs',
  'receipt.csv.gz',
);

/** Imports the receipt log into the organisation; returns the stored log's id. */
export async function seedDemoEventLog(scope: OrgScope): Promise<string> {
  const { logId } = await importEventLog(scope, {
    name: 'Environmental permit applications: receipt phase',
    fileName: 'receipt.csv.gz',
    format: 'csv',
    content: readFileSync(RECEIPT_LOG),
    columns: null,
    dateOrder: 'auto',
    timeZone: 'Europe/Amsterdam',
    uploadId: null,
  });
  return logId;
}
