import { describe, expect, it } from 'vitest';
import { commonPasswordCount, isCommonPassword } from './common.ts';
import { passwordProblem } from '../secrets.ts';

describe('common passwords', () => {
  it('holds the long passwords of the top million, and finds them ignoring case', () => {
    expect(commonPasswordCount()).toBe(43_940);
    expect(isCommonPassword('123456789012')).toBe(true);
    expect(isCommonPassword('qwertyuiopasdf')).toBe(true);
    expect(isCommonPassword('PasswordPassword')).toBe(true);
    expect(isCommonPassword('three unrelated words')).toBe(false);
    expect(isCommonPassword('correct-horse-battery-staple')).toBe(false);
  });

  it('makes passwordProblem refuse a common password with a clear message', () => {
    expect(passwordProblem('123456789012', 'a@b.c')).toBe(
      'Password is on a list of common passwords that attackers try first: choose a different one, such as three random words',
    );
    expect(passwordProblem('1q2w3e4r5t6y', 'a@b.c')).toMatch(/list of common passwords/);
    expect(passwordProblem('kettle orbit lantern', 'a@b.c')).toBeUndefined();
  });
});
