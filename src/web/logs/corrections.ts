// The form that corrects the kind of a wait (issue 13, point 1): which wait, which kind, and why.
// Only a wait the analysis classified can be corrected; a reason is required (it is what the next
// reader needs), except when the correction is withdrawn.
import { z } from 'zod';
import { CORRECTABLE_KINDS, MAX_CORRECTION_REASON } from '../../domain/mining/index.ts';

const KINDS = [...CORRECTABLE_KINDS, 'detected'] as const;

export function correctionSchema(activities: readonly string[]) {
  return z
    .object({
      activity: z
        .string({ error: 'Choose the wait to correct' })
        .refine((a) => activities.includes(a), {
          message: 'Choose the wait to correct from the list',
        }),
      kind: z.enum(KINDS, { error: 'Choose what kind of wait it is' }),
      reason: z
        .string()
        .optional()
        .transform((r) => (r ?? '').trim())
        .pipe(
          z.string().max(MAX_CORRECTION_REASON, {
            message: `The reason must be ${MAX_CORRECTION_REASON.toLocaleString('en-GB')} characters or fewer`,
          }),
        ),
    })
    .superRefine((form, context) => {
      if (form.kind !== 'detected' && form.reason === '') {
        context.addIssue({
          code: 'custom',
          path: ['reason'],
          message:
            'Say why this wait is of that kind, for example “a 15-day automatic closure rule”',
        });
      }
    });
}
