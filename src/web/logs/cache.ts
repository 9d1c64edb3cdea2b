// A small cache of decoded event logs, so filtering the same log again and again does not
// decompress it each time. Bounded by the events held (a few million at most), least recently
// used first out. Keyed by organisation and log id: a log is never changed once stored.
import type { EventLog } from '../../domain/mining/index.ts';

const MAX_EVENTS = 3_000_000;

const entries = new Map<string, EventLog>();
let held = 0;

export async function cachedLog(
  organisationId: string,
  logId: string,
  load: () => Promise<EventLog | undefined>,
): Promise<EventLog | undefined> {
  const key = `${organisationId}/${logId}`;
  const hit = entries.get(key);
  if (hit !== undefined) {
    entries.delete(key);
    entries.set(key, hit);
    return hit;
  }
  const log = await load();
  if (log === undefined) return undefined;
  const size = log.complete.length;
  if (size > MAX_EVENTS) return log;
  while (held + size > MAX_EVENTS && entries.size > 0) {
    const [oldest, value] = entries.entries().next().value as [string, EventLog];
    entries.delete(oldest);
    held -= value.complete.length;
  }
  entries.set(key, log);
  held += size;
  return log;
}

/** Forgets a log (after it is deleted). */
export function forgetLog(organisationId: string, logId: string): void {
  const key = `${organisationId}/${logId}`;
  const hit = entries.get(key);
  if (hit !== undefined) {
    held -= hit.complete.length;
    entries.delete(key);
  }
}
