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
  it('refuses a NUL character beside its field, before the schema (PostgreSQL cannot store it)', () => {
    const result = parseForm(schema, {
      _csrf: 'x',
      name: 'An\u0000n',
      email: ['a@b.org', '\u0000'],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.list.map((e) => e.href)).toEqual(['#name', '#email']);
    expect(result.errors.byField.name?.text).toMatch(/control character \(NUL\)/);
  });
});

describe('safeReturnPath', () => {
  it('keeps local paths, with their query and fragment', () => {
    expect(safeReturnPath('/framework/managing-risk')).toBe('/framework/managing-risk');
    expect(safeReturnPath('/assessments/r1/results?group=all#capability-3')).toBe(
      '/assessments/r1/results?group=all#capability-3',
    );
    // Percent-encodings stay encoded: a browser never decodes them into a scheme or host.
    expect(safeReturnPath('/%09/evil.example')).toBe('/%09/evil.example');
    expect(safeReturnPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
    expect(safeReturnPath('/organisation/members')).toBe('/organisation/members');
  });

  it.each([
    ['protocol-relative', '//evil.example'],
    ['absolute', 'https://evil.example/'],
    ['absolute without slashes', 'https:evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['slash backslash', '/\\evil.example'],
    ['backslash later', '/a\\..\\..\\\\evil.example'],
    ['tab after the slash', '/\t/evil.example'],
    ['newline after the slash', '/\n/evil.example'],
    ['carriage return', '/\r\n/evil.example'],
    ['tab inside', '/organisation\t'],
    ['space', '/ /evil.example'],
    ['no-break space', '/\u00a0/evil.example'],
    ['line separator', '/\u2028/evil.example'],
    ['dot segment to a double slash', '/.//evil.example'],
    ['dot-dot segment to a double slash', '/..//evil.example'],
    ['encoded dots to a double slash', '/%2e/%2e//evil.example'],
    ['climbing to a double slash', '/a/../..//evil.example'],
    ['relative', 'evil.example'],
    ['empty', ''],
    ['sign-out', '/sign-out'],
    ['sign-in', '/sign-in?returnTo=/organisation'],
    ['too long', `/${'a'.repeat(2000)}`],
    ['not a string', 42],
    ['an array', ['/organisation', '//evil.example']],
  ])('refuses %s', (_name, bad) => {
    expect(safeReturnPath(bad)).toBe('/organisation');
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
