import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { responsesToCsv } from './responsesCsv.ts';
import type { Answer } from './types.ts';

const answer = (capabilityId: string, level: 1 | 2 | 3 | 4 | 5 | null, evidence = ''): Answer => ({
  responseId: 'r1',
  groupId: 'g1',
  capabilityId,
  level,
  indicatorsSeen: level === null ? [] : [`${capabilityId}.${level}.1`],
  evidence,
  confidence: level === null ? null : 'high',
});

const rows = [
  {
    responseId: 'r1',
    groupName: 'Frontline staff',
    label: 'Sam Okafor',
    submittedAt: '2026-10-07T09:00:00.000Z',
    answers: [
      answer('managing-risk', 4, 'Registers are "tick-box", not used'),
      answer('organisational-learning', null),
    ],
  },
];

describe('responsesToCsv', () => {
  it('numbers respondents instead of naming them by default, one row per answered capability in framework order', () => {
    const lines = responsesToCsv(defaultFramework, rows, { identities: false })
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^Respondent 1,Frontline staff,2026-10-07T09:00:00.000Z,1,Organisational Learning,,,yes,,,$/,
    );
    expect(lines[2]).toContain(
      '4,Managing Risk,4,Needs Improvement,no,managing-risk.4.1,"Registers are ""tick-box"", not used",high',
    );
    expect(lines.join('\n')).not.toContain('Sam Okafor');
  });
  it('names respondents only when asked', () => {
    expect(responsesToCsv(defaultFramework, rows, { identities: true })).toContain('Sam Okafor');
  });
});
