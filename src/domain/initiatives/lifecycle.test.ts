import { describe, expect, it } from 'vitest';
import { NEXT_STATUSES, transitionProblems } from './lifecycle.ts';

const ok = { verdict: 'ready', blockers: [] } as const;

describe('the initiative lifecycle', () => {
  it('approves a ready initiative, and one ready with conditions', () => {
    expect(transitionProblems('assessed', 'approved', ok)).toEqual([]);
    expect(
      transitionProblems('assessed', 'approved', {
        verdict: 'ready-with-conditions',
        blockers: [],
      }),
    ).toEqual([]);
  });

  it('refuses to approve what is not ready, has no assessment, or has other blockers', () => {
    expect(
      transitionProblems('assessed', 'approved', { verdict: 'not-ready', blockers: [] }),
    ).toEqual([
      'It is not ready: close the capability gaps first, or change the initiative (section 3)',
    ]);
    expect(
      transitionProblems('assessed', 'approved', { verdict: 'no-assessment', blockers: [] })[0],
    ).toMatch(/no capability assessment/);
    expect(
      transitionProblems('assessed', 'approved', {
        verdict: 'ready',
        blockers: ['No ethics review'],
      }),
    ).toEqual(['No ethics review']);
  });

  it('only moves along the lifecycle: an idea cannot be approved, an evaluated one cannot change', () => {
    expect(transitionProblems('idea', 'approved', ok)).toEqual([
      'An initiative whose status is “Idea” cannot become “Approved”; it can become “Assessed” or “Stopped”',
    ]);
    expect(transitionProblems('evaluated', 'stopped', ok)[0]).toMatch(/cannot become “Stopped”$/);
    expect(NEXT_STATUSES.live).not.toContain('evaluated');
  });

  it('needs a real go-live date to go live, and a reason to stop', () => {
    expect(transitionProblems('in-delivery', 'live', ok)).toEqual(['Enter the go-live date']);
    expect(transitionProblems('in-delivery', 'live', { ...ok, liveFrom: '2026-02-30' })).toEqual([
      'The go-live date must be a real date, such as 2026-03-31',
    ]);
    expect(transitionProblems('in-delivery', 'live', { ...ok, liveFrom: '2011-06-01' })).toEqual(
      [],
    );
    expect(transitionProblems('approved', 'stopped', { ...ok, stoppedReason: '  ' })[0]).toMatch(
      /Say why/,
    );
    expect(
      transitionProblems('approved', 'stopped', { ...ok, stoppedReason: 'Funding cut' }),
    ).toEqual([]);
  });
});
