// The `mail.reminders` job (issue 12, point 8): sends one organisation the reminders due today to
// people invited by email who have not answered, and removes addresses no longer needed. Queued
// hourly by the web process when there is something to do (src/services/mail/schedule.ts), and
// also runnable by hand with `throughline mail reminders`. Safe to run twice: each reminder is
// claimed before it is sent.
import { z } from 'zod';
import type { MailService, ReminderRun } from '../services/mail/index.ts';
import { JobFailure, type JobHandler } from './types.ts';

export const MAIL_REMINDERS = 'mail.reminders';

const payloadSchema = z.object({ today: z.iso.date().optional() });

export function mailRemindersHandler(
  mail: MailService,
): JobHandler<z.infer<typeof payloadSchema>, ReminderRun> {
  return {
    kind: MAIL_REMINDERS,
    parse: (payload) => payloadSchema.parse(payload ?? {}),
    async run(payload, context) {
      context.progress(0, 'Sending reminders');
      const run = await mail.sendReminders(context.scope.organisationId, payload.today);
      if (run.failed > 0 && run.sent === 0)
        throw new JobFailure(
          `No reminder could be sent (${run.failed} tried): ${run.errors.join(' ')} They will be tried again at the next run.`,
        );
      return run;
    },
    doneMessage: (run) =>
      `${run.sent} ${run.sent === 1 ? 'reminder' : 'reminders'} sent` +
      (run.failed > 0 ? `, ${run.failed} not sent (tried again at the next run)` : '') +
      (run.removed > 0
        ? `; ${run.removed} email ${run.removed === 1 ? 'address' : 'addresses'} no longer needed removed`
        : ''),
  };
}
