import { describe, expect, it } from 'vitest';
import {
  ALL_SCOPES,
  accessFor,
  expiryFrom,
  formatScopes,
  parseScopes,
  scopesFrom,
  shouldTouch,
  tokenMayUse,
} from './tokens.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');

describe('token scopes', () => {
  it('reads and writes scopes in a fixed order and drops unknown words', () => {
    expect(formatScopes(['logs:write', 'chains:read', 'nonsense', 'chains:delete'])).toBe(
      'chains:read logs:write',
    );
    expect([...parseScopes('chains:read  evil:read chains:write:x logs:write')]).toEqual([
      'chains:read',
      'logs:write',
    ]);
  });

  it('gives reading with changing, and every scope to ALL_SCOPES', () => {
    expect(scopesFrom(['sector'], ['chains'])).toEqual([
      'chains:read',
      'chains:write',
      'sector:read',
    ]);
    expect(scopesFrom(['nope'], [])).toEqual([]);
    expect(ALL_SCOPES).toHaveLength(14);
  });

  it('needs read for GET and HEAD, write for everything else', () => {
    expect(accessFor('GET')).toBe('read');
    expect(accessFor('HEAD')).toBe('read');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(accessFor(method)).toBe('write');
  });

  it('allows exactly the scoped area and access', () => {
    const token = { scopes: parseScopes('chains:read'), role: 'admin' as const };
    expect(tokenMayUse(token, 'chains', 'read')).toEqual({ ok: true });
    const write = tokenMayUse(token, 'chains', 'write');
    expect(write.ok).toBe(false);
    expect(!write.ok && write.message).toContain('needs the chains:write scope');
    expect(tokenMayUse(token, 'logs', 'read').ok).toBe(false);
    expect(tokenMayUse(token, 'any', 'read').ok).toBe(true);
  });

  it('takes the owner’s current role as a ceiling: the organisation area is for admins only', () => {
    const scopes = parseScopes(formatScopes(ALL_SCOPES));
    expect(tokenMayUse({ scopes, role: 'admin' }, 'organisation', 'read').ok).toBe(true);
    for (const role of ['lead', 'member', 'viewer'] as const) {
      const decision = tokenMayUse({ scopes, role }, 'organisation', 'read');
      expect(decision.ok).toBe(false);
      expect(!decision.ok && decision.message).toContain(`now a ${role}`);
      expect(tokenMayUse({ scopes, role }, 'chains', 'write').ok).toBe(true);
    }
  });
});

describe('token expiry', () => {
  it('offers 30, 90 and 365 days and nothing else', () => {
    expect(expiryFrom({ kind: 'days', days: 30 }, NOW)).toEqual({
      ok: true,
      expiresAt: '2027-01-06T12:00:00.000Z',
    });
    expect(expiryFrom({ kind: 'days', days: 365 }, NOW).ok).toBe(true);
    expect(expiryFrom({ kind: 'days', days: 3650 }, NOW).ok).toBe(false);
  });

  it('takes a date of one’s own up to a year away, ending at the close of that day', () => {
    expect(expiryFrom({ kind: 'date', year: 2027, month: 3, day: 31 }, NOW)).toEqual({
      ok: true,
      expiresAt: '2027-03-31T23:59:59.000Z',
    });
    expect(expiryFrom({ kind: 'date', year: 2027, month: 12, day: 7 }, NOW).ok).toBe(true);
    expect(expiryFrom({ kind: 'date', year: 2027, month: 12, day: 9 }, NOW)).toEqual({
      ok: false,
      message: 'Expiry date must be no more than a year from today',
    });
    expect(expiryFrom({ kind: 'date', year: 2026, month: 12, day: 6 }, NOW)).toEqual({
      ok: false,
      message: 'Expiry date must be in the future',
    });
    expect(expiryFrom({ kind: 'date', year: 2027, month: 2, day: 30 }, NOW).ok).toBe(false);
    expect(expiryFrom({ kind: 'date', year: NaN, month: 1, day: 1 }, NOW).ok).toBe(false);
  });

  it('writes the last-used time at most once a minute', () => {
    expect(shouldTouch(null, NOW)).toBe(true);
    expect(shouldTouch(new Date(NOW - 59_000).toISOString(), NOW)).toBe(false);
    expect(shouldTouch(new Date(NOW - 60_000).toISOString(), NOW)).toBe(true);
  });
});
