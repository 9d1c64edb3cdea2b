// The gentle consistency check while answering (issue 3, point 3).
import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { checkAnswerConsistency } from './consistency.ts';

const fw = defaultFramework;
const CAP = 'organisational-learning';
const ids = (...suffixes: string[]) => suffixes.map((suffix) => `${CAP}.${suffix}`);

describe('checkAnswerConsistency', () => {
  it('questions a level two or more away from where most ticks are', () => {
    expect(checkAnswerConsistency(fw, CAP, 1, ids('4.1', '4.2', '4.3', '1.1'))).toBe(
      'You chose 1 Outstanding, but most of what you said you see is described at 4 Needs Improvement. You can keep your answer or change it.',
    );
    // 2 of 3 ticks at level 1, chosen 3: exactly two levels away.
    expect(checkAnswerConsistency(fw, CAP, 3, ids('1.1', '1.2', '5.1'))).toBe(
      'You chose 3 Adequate, but most of what you said you see is described at 1 Outstanding. You can keep your answer or change it.',
    );
  });

  it('questions a tick three or more levels from the choice even without a majority there', () => {
    expect(checkAnswerConsistency(fw, CAP, 1, ids('1.1', '1.2', '1.3', '5.1'))).toBe(
      'You chose 1 Outstanding, but you also said you see 1 thing described at 5 Inadequate. You can keep your answer or change it.',
    );
    expect(checkAnswerConsistency(fw, CAP, 5, ids('5.1', '5.2', '5.3', '2.1', '2.2'))).toBe(
      'You chose 5 Inadequate, but you also said you see 2 things described at 2 Good. You can keep your answer or change it.',
    );
  });

  it('accepts answers whose ticks sit at or next to the chosen level', () => {
    expect(checkAnswerConsistency(fw, CAP, 2, ids('2.1', '3.1', '1.2'))).toBeUndefined();
    // Half at 1 and half at 5 is no majority, and neither is three levels from 3.
    expect(checkAnswerConsistency(fw, CAP, 3, ids('1.1', '5.1'))).toBeUndefined();
    // One level away is a near neighbour, even with every tick there.
    expect(checkAnswerConsistency(fw, CAP, 3, ids('4.1', '4.2', '4.3'))).toBeUndefined();
  });

  it('says nothing for a don’t know, no ticks, or ticks that belong elsewhere', () => {
    expect(checkAnswerConsistency(fw, CAP, null, ids('5.1', '5.2'))).toBeUndefined();
    expect(checkAnswerConsistency(fw, CAP, 1, [])).toBeUndefined();
    expect(
      checkAnswerConsistency(fw, CAP, 1, ['managing-risk.5.1', 'managing-risk.5.2', 'nonsense']),
    ).toBeUndefined();
    expect(checkAnswerConsistency(fw, 'no-such-capability', 1, ids('5.1'))).toBeUndefined();
  });

  it('counts a ticked indicator once', () => {
    // Without de-duplication 5.1 ×3 would outweigh 1.1 and 1.2.
    expect(checkAnswerConsistency(fw, CAP, 1, ids('1.1', '1.2', '5.1', '5.1', '5.1'))).toContain(
      'you also said you see 1 thing described at 5 Inadequate',
    );
  });
});
