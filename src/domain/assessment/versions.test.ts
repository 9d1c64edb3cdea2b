// Targets as they stood when an older snapshot was finalised (issue 12, point 3).
import { describe, expect, it } from 'vitest';
import { targetsAsOf } from './versions.ts';

const FINALISED = '2026-03-01T12:00:00.000Z';

describe('targetsAsOf', () => {
  it('keeps targets set before the finalising time and unchanged since', () => {
    expect(
      targetsAsOf(
        FINALISED,
        [{ capabilityId: 'managing-risk', targetLevel: 2, setAt: '2026-02-01T00:00:00.000Z' }],
        [],
      ),
    ).toEqual({ complete: true, targets: { 'managing-risk': 2 } });
  });

  it('restores the level a later change replaced, and leaves out targets first set later', () => {
    const result = targetsAsOf(
      FINALISED,
      [
        { capabilityId: 'managing-risk', targetLevel: 1, setAt: '2026-06-01T00:00:00.000Z' },
        {
          capabilityId: 'organisational-learning',
          targetLevel: 2,
          setAt: '2026-06-02T00:00:00.000Z',
        },
      ],
      [
        { capabilityId: 'managing-risk', before: null, after: 3, at: '2026-01-01T00:00:00.000Z' },
        { capabilityId: 'managing-risk', before: 3, after: 2, at: '2026-04-01T00:00:00.000Z' },
        { capabilityId: 'managing-risk', before: 2, after: 1, at: '2026-06-01T00:00:00.000Z' },
        {
          capabilityId: 'organisational-learning',
          before: null,
          after: 2,
          at: '2026-06-02T00:00:00.000Z',
        },
      ],
    );
    expect(result).toEqual({ complete: true, targets: { 'managing-risk': 3 } });
  });

  it('claims nothing when a target changed after finalising without an audited change', () => {
    expect(
      targetsAsOf(
        FINALISED,
        [{ capabilityId: 'managing-risk', targetLevel: 1, setAt: '2026-06-01T00:00:00.000Z' }],
        [{ capabilityId: 'managing-risk', before: null, after: 3, at: '2026-01-01T00:00:00.000Z' }],
      ),
    ).toEqual({ complete: false });
  });
});
