// The issuer addresses single sign-on accepts: https anywhere, plain http only for a provider on
// this machine, and nothing that could smuggle credentials or parameters into discovery.
import { describe, expect, it } from 'vitest';
import { issuerProblem } from './sso.ts';

describe('issuer addresses', () => {
  it('accepts https issuers and http ones on loopback only', () => {
    expect(issuerProblem('https://login.microsoftonline.com/tenant/v2.0')).toBeUndefined();
    expect(issuerProblem('http://127.0.0.1:8080')).toBeUndefined();
    expect(issuerProblem('http://localhost:8080/realms/council')).toBeUndefined();
    expect(issuerProblem('http://idp.council.example')).toContain('must start with https://');
    expect(issuerProblem('http://127.0.0.1.evil.example')).toContain('must start with https://');
    expect(issuerProblem('ftp://idp.council.example')).toContain('must start with https://');
  });

  it('refuses what is not a plain address', () => {
    expect(issuerProblem('login.council.example')).toContain('full web address');
    expect(issuerProblem('https://user:pass@idp.council.example')).toContain('must not contain');
    expect(issuerProblem('https://idp.council.example/?x=1')).toContain('must not contain');
    expect(issuerProblem('https://idp.council.example/#top')).toContain('must not contain');
  });
});
