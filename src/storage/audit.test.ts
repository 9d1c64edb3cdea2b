// Audit entries are written with the names of AuditAction, stored exactly as named (existing
// databases hold them), and a misspelt name fails the typecheck.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testScope, type TestScope } from '../../test/helpers/scope.ts';
import type { AuditAction } from './audit.ts';

let t: TestScope;

beforeEach(async () => {
  t = await testScope();
});

afterEach(() => t.close());

describe('audit actions', () => {
  it('stores the name as it is written', async () => {
    const action: AuditAction = 'themes.comment_moved';
    await t.scope.audit({ action, entityType: 'theme_analysis', entityId: null });
    const [entry] = await t.scope.auditLog(1);
    expect(entry?.action).toBe('themes.comment_moved');
  });

  it('accepts only the names the log knows', () => {
    // @ts-expect-error: a misspelt name is not an AuditAction.
    const misspelt: AuditAction = 'themes.comment_move';
    expect(misspelt).toBe('themes.comment_move');
  });

  it('names a round opened and closed as before', async () => {
    const userId = await t.storage.platform.createUser({
      email: 'lead@example.org',
      name: 'Lead',
      passwordHash: 'x',
    });
    const store = t.storage.scope(t.scope.organisationId, { userId, label: 'Lead' }).assessments;
    const round = await store.createRound({
      scope: 'organisation',
      title: 'Spring',
      opensOn: '2026-01-01',
      closesOn: '2026-02-01',
      groups: ['Everyone'],
      minGroupSize: 1,
      framework: { id: 'test', version: '1', document: {} },
    });
    expect(await store.changeStatus(round, ['draft'], 'open')).toBe(true);
    expect(await store.changeStatus(round, ['open'], 'closed')).toBe(true);
    const actions = (await t.scope.auditLog(2)).map((e) => e.action);
    expect(actions).toEqual(['assessment.round_closed', 'assessment.round_opened']);
  });
});
