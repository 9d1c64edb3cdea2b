// Queues the `mail.reminders` job, once an hour, for each organisation with reminders due or
// addresses to remove, so reminders go out through the job runner (in this process, or pg-boss
// workers) without anyone having to ask. A run that finds nothing to do queues nothing, so the
// audit log is not filled with empty jobs.
import type { JobQueue } from '../../jobs/types.ts';
import type { Storage } from '../../storage/index.ts';
import type { MailService } from './index.ts';

export interface ReminderSchedule {
  stop(): void;
}

export function startReminderSchedule(options: {
  readonly storage: Storage;
  readonly mail: MailService;
  readonly queue: JobQueue;
  readonly everyMs?: number;
  readonly log?: { warn(details: object, message: string): void };
}): ReminderSchedule {
  const { storage, mail, queue } = options;
  const tick = async () => {
    for (const organisationId of await mail.organisationsWithWork()) {
      const scope = storage.scope(organisationId, {
        userId: null,
        label: 'Throughline (reminders by email)',
      });
      await queue.enqueue(scope, 'mail.reminders', {});
    }
  };
  const run = () => {
    tick().catch((error: unknown) => options.log?.warn({ err: error }, 'reminder schedule failed'));
  };
  const timer = setInterval(run, options.everyMs ?? 3_600_000);
  timer.unref();
  const first = setTimeout(run, 5_000);
  first.unref();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
