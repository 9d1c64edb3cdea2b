import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm, safeReturnPath } from './forms.ts';
import { hasRole } from './principal.ts';

describe('parseForm', () => {
  const schema = z.object({
    name: z.string().trim().min(1, 'Enter your name'),
    email: z.email('Enter a valid email'),
  });
  it('returns the data without the CSRF field', () => {
    expect(parseForm(schema, { _csrf: 'x', name: ' Ann ', email: 'a@b.org' })).toEqual({
      ok: true,
      data: { name: 'Ann', email: 'a@b.org' },
    });
  });
  it('turns issues into a GOV.UK error summary linking to each field, once per field', () => {
    const result = parseForm(schema, { _csrf: 'x', name: '', email: 'nope' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.list).toEqual([
      { text: 'Enter your name', href: '#name' },
      { text: 'Enter a valid email', href: '#email' },
    ]);
    expect(result.values).toEqual({ name: '', email: 'nope' });
  });
});

describe('safeReturnPath', () => {
  it('keeps local paths and refuses other sites', () => {
    expect(safeReturnPath('/framework/managing-risk')).toBe('/framework/managing-risk');
    for (const bad of [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      '/sign-out',
      42,
    ]) {
      expect(safeReturnPath(bad)).toBe('/organisation');
    }
  });
});

describe('hasRole', () => {
  it('orders admin > lead > member > viewer', () => {
    expect(hasRole('admin', 'lead')).toBe(true);
    expect(hasRole('lead', 'lead')).toBe(true);
    expect(hasRole('member', 'lead')).toBe(false);
    expect(hasRole('viewer', 'member')).toBe(false);
  });
});
