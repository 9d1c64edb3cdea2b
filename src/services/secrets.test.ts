import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  newSecretToken,
  passwordProblem,
  sha256,
  verifyPassword,
} from './secrets.ts';

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
  it('asks for length rather than complexity', () => {
    expect(passwordProblem('short', 'a@b.c')).toBe('Password must be 12 characters or more');
    expect(passwordProblem('aaaaaaaaaaaaaa', 'a@b.c')).toBe(
      'Password must not be one character repeated',
    );
    expect(passwordProblem('me@example.org', 'ME@example.org')).toBe(
      'Password must not be your email address',
    );
    expect(passwordProblem('three unrelated words', 'a@b.c')).toBeUndefined();
  });
});

describe('tokens', () => {
  it('are random, URL-safe and carry their prefix', () => {
    const t = newSecretToken('tl_pat_');
    expect(t).toMatch(/^tl_pat_[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken('tl_pat_')).not.toBe(t);
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
