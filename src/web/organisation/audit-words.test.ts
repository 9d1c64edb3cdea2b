// Every action the audit log records is told in plain words, with the records it points at named
// while they exist and said to be deleted once they do not; no code, id or JSON reaches a reader.
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../storage/audit.ts';
import {
  ACTION_GROUPS,
  actionLabel,
  auditReferences,
  describeAuditEvent,
  NO_NAMES,
  type AuditNames,
  type AuditRecord,
} from './audit-words.ts';

const ALEX = '0190a0a0-0000-7000-8000-000000000001';
const ROUND = '0190a0a0-0000-7000-8000-0000000000aa';

const names: AuditNames = {
  ...NO_NAMES,
  users: new Map([[ALEX, 'Alex Morgan']]),
  rounds: new Map([[ROUND, 'Capability check, spring 2026']]),
  capabilities: new Map([['managing-risk', 'Managing Risk']]),
};

const event = (action: string, over: Partial<AuditRecord> = {}): AuditRecord => ({
  action,
  actorLabel: 'Alex Morgan <alex@example.org>',
  actorUserId: ALEX,
  entityType: 'assessment_round',
  entityId: ROUND,
  details: {},
  ...over,
});

/** Anything that looks like an event code ("assessment.rating_agreed"), an id or JSON. */
const RAW = /\b[a-z_]+\.[a-z_]+\b|[0-9a-f]{8}-[0-9a-f]{4}-|[{}[\]"]/;

describe('the audit log in plain words', () => {
  it('describes every action the log knows without its code', () => {
    expect(AUDIT_ACTIONS.length).toBeGreaterThan(60);
    for (const action of AUDIT_ACTIONS) {
      const described = describeAuditEvent(event(action, { details: { roundId: ROUND } }), names);
      expect(described.sentence, action).not.toMatch(RAW);
      expect(described.sentence, action).toMatch(/^[A-Z0-9]/);
      expect(described.label, action).not.toMatch(RAW);
      expect(described.label, action).not.toBe('A change');
      expect(actionLabel(action), action).toBe(described.label);
    }
  });

  it('puts every action in exactly one group of the filter', () => {
    const grouped = ACTION_GROUPS.flatMap((g) => g.actions.map((a) => a.action));
    expect([...grouped].sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(ACTION_GROUPS.map((g) => g.label)).not.toContain('Other changes');
  });

  it('says who agreed which capability at which level in which round', () => {
    const described = describeAuditEvent(
      event('assessment.rating_agreed', {
        details: {
          capabilityId: 'managing-risk',
          before: null,
          after: { level: 4, evidence: 'documented' },
          rationale: 'The risk register is out of date.',
        },
      }),
      names,
    );
    expect(described.sentence).toBe(
      'Alex Morgan agreed Managing Risk at 4 Needs Improvement in the round ‘Capability check, spring 2026’',
    );
    expect(described.details).toEqual([
      { label: 'Before', value: 'not agreed before' },
      { label: 'After', value: '4 Needs Improvement, evidence documented' },
      { label: 'Reason given', value: 'The risk register is out of date.' },
    ]);
  });

  it('names a finalised round, and one since deleted', () => {
    expect(describeAuditEvent(event('assessment.round_finalised'), names).sentence).toBe(
      'Alex Morgan finalised the round ‘Capability check, spring 2026’',
    );
    const gone = describeAuditEvent(event('assessment.round_finalised'), NO_NAMES);
    expect(gone.sentence).toBe('Alex Morgan finalised a round since deleted');
    const deletedChain = describeAuditEvent(
      event('chain.deleted', { entityType: 'delivery_chain', details: { name: 'Planning' } }),
      NO_NAMES,
    );
    expect(deletedChain.sentence).toBe(
      'Alex Morgan deleted the delivery chain ‘Planning’ (since deleted)',
    );
  });

  it('keeps ids, codes and JSON out of the details', () => {
    const described = describeAuditEvent(
      event('scenario.created', {
        entityType: 'chain_scenario',
        details: { chainId: ROUND, name: 'Faster', interventions: ['a', 'b'], extra: { x: 1 } },
      }),
      NO_NAMES,
    );
    for (const d of described.details) expect(`${d.label} ${d.value}`).not.toMatch(RAW);
    expect(described.details).toContainEqual({ label: 'Interventions', value: 'a, b' });
  });

  it('says the system did automatic work, and describes an unknown action without its code', () => {
    const system = describeAuditEvent(
      event('chain.created', {
        actorUserId: null,
        actorLabel: 'System (demo set-up)',
        entityType: 'delivery_chain',
        details: { name: 'Planning' },
      }),
      NO_NAMES,
    );
    expect(system.who).toBe('The system');
    const unknown = describeAuditEvent(event('future.thing_done'), names);
    expect(unknown.sentence).not.toMatch(RAW);
    expect(unknown.sentence).toContain('Alex Morgan');
  });

  it('collects the ids a page of events points at', () => {
    const refs = auditReferences([
      event('assessment.response_submitted', {
        entityType: 'response',
        entityId: 'r1',
        details: { roundId: ROUND },
      }),
    ]);
    expect(refs.users).toEqual([ALEX]);
    expect(refs.responses).toEqual(['r1']);
    expect(refs.rounds).toEqual([ROUND]);
  });
});
