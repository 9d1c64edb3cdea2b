import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  encryptSecret,
  hashPassword,
  newSecretToken,
  passwordProblem,
  secretsKeyFrom,
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

describe('secrets stored encrypted', () => {
  const key = secretsKeyFrom({ secretsKey: 'k'.repeat(40), dataDir: '/nonexistent' });
  const otherKey = secretsKeyFrom({ secretsKey: 'j'.repeat(40), dataDir: '/nonexistent' });

  it('reads back what it wrote, and the stored form does not hold the secret', () => {
    const stored = encryptSecret(key, 'client-secret-value', 'org-1');
    expect(stored).not.toContain('client-secret-value');
    expect(stored).not.toBe(encryptSecret(key, 'client-secret-value', 'org-1'));
    expect(decryptSecret(key, stored, 'org-1')).toBe('client-secret-value');
  });

  it('refuses another key, another organisation, and any changed byte', () => {
    const stored = encryptSecret(key, 'client-secret-value', 'org-1');
    expect(decryptSecret(otherKey, stored, 'org-1')).toBeUndefined();
    expect(decryptSecret(key, stored, 'org-2')).toBeUndefined();
    const parts = stored.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(decryptSecret(key, parts.join('.'), 'org-1')).toBeUndefined();
    expect(decryptSecret(key, 'not-encrypted', 'org-1')).toBeUndefined();
  });
});
