// The log page's preview of the delivery chain it would create (issue 13, point 2): the stages,
// which are delays and why, the staff and how they were estimated, what capacity cannot be
// stated, what was folded — calibration's own words (calibrateStructure's summary and each
// stage's statement), so the preview, the chain made from the log and the CLI say the same.
import {
  DEFAULT_FOLD,
  MAX_FOLD,
  rosterText,
  type CalibratedStructure,
} from '../../domain/mining/index.ts';

/** The folding threshold from a form, as a percentage of a stage's routes (0–30, default 5). */
export function readFold(raw: unknown): { share: number; percent: string; error: string | null } {
  const text = typeof raw === 'string' ? raw.trim().replace(/%$/, '').trim() : '';
  const fallback = { share: DEFAULT_FOLD, percent: String(DEFAULT_FOLD * 100) };
  if (text === '') return { ...fallback, error: null };
  const value = /^\d{1,2}(\.\d{1,2})?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value > MAX_FOLD * 100) {
    return {
      ...fallback,
      percent: text.slice(0, 10),
      error: `Enter a share between 0 and ${MAX_FOLD * 100} (per cent), like 5`,
    };
  }
  return { share: value / 100, percent: text, error: null };
}

/** Whether to read opening hours and demand patterns from the log: "fit" (the default) or "none". */
export function readCalendar(raw: unknown): {
  fit: boolean;
  value: 'fit' | 'none';
  error: string | null;
} {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '' || text === 'fit') return { fit: true, value: 'fit', error: null };
  if (text === 'none') return { fit: false, value: 'none', error: null };
  return {
    fit: true,
    value: 'fit',
    error: 'Choose whether to read opening hours and demand patterns from the log',
  };
}

const WHAT: Record<string, string> = {
  staffed: 'Staffed',
  'capacity-unknown': 'Capacity not known',
  timer: 'Delay: a timer or set period',
  external: 'Delay: a wait on someone outside',
  batching: 'Delay: work released in batches',
  instant: 'Instantaneous (automatic step)',
};

export function calibrationPreview(structure: CalibratedStructure) {
  return {
    summary: structure.summary,
    rows: structure.stages.map((s) => [
      { text: s.name },
      { text: WHAT[s.delay?.kind ?? s.role] ?? s.role },
      {
        text:
          s.role === 'staffed'
            ? `${s.staffMethod ?? ''} ${s.roster === null ? 'On duty round the clock.' : `On duty ${s.roster.shifts.map(rosterText).join('; ')}.`}`
            : s.role === 'delay'
              ? `No staff: ${s.delay?.reason ?? ''}`
              : `Not stated: ${s.capacityUnknown ?? ''}`,
      },
    ]),
  };
}
