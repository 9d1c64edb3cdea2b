import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { HIDDEN_GROUPS_LABEL } from './disclosure.ts';
import { summariseRound } from './results.ts';
import { responsesToCsv, type ResponseRow } from './responsesCsv.ts';
import type { Answer, Level } from './types.ts';

const answer = (
  responseId: string,
  groupId: string,
  capabilityId: string,
  level: Level | null,
  evidence = '',
): Answer => ({
  responseId,
  groupId,
  capabilityId,
  level,
  indicatorsSeen: level === null ? [] : [`${capabilityId}.${level}.1`],
  evidence,
  confidence: level === null ? null : 'high',
});

const groups = [
  { id: 'g1', name: 'Frontline staff' },
  { id: 'g2', name: 'Leadership' },
];

/** Three frontline staff and three leaders; Sam (frontline) answers managing risk and learning. */
function rows(): ResponseRow[] {
  const person = (id: string, groupId: string, label: string, level: Level): ResponseRow => ({
    responseId: id,
    groupId,
    groupName: groups.find((g) => g.id === groupId)?.name ?? '',
    label,
    submittedAt: `2026-10-07T09:0${id.slice(1)}:00.000Z`,
    answers:
      id === 'r1'
        ? [
            answer(id, groupId, 'managing-risk', 4, 'Registers are "tick-box", not used'),
            answer(id, groupId, 'organisational-learning', null),
          ]
        : [
            answer(id, groupId, 'managing-risk', level),
            answer(id, groupId, 'organisational-learning', level),
          ],
  });
  return [
    person('r1', 'g1', 'Sam Okafor', 4),
    person('r2', 'g1', 'Ann Lee', 3),
    person('r3', 'g1', 'Bo Chan', 3),
    person('r4', 'g2', 'Di Moss', 2),
    person('r5', 'g2', 'Ed Park', 2),
    person('r6', 'g2', 'Flo Ng', 1),
  ];
}

function csvOf(list: ResponseRow[], identities: boolean): string[] {
  const answers = list.flatMap((r) => r.answers);
  const summary = summariseRound(defaultFramework, 'organisation', answers, groups);
  return responsesToCsv(defaultFramework, list, {
    identities,
    results: summary.results,
    minGroupSize: 3,
  })
    .trimEnd()
    .split('\r\n');
}

describe('responsesToCsv', () => {
  it('numbers respondents, leaves out when they sent, and orders them by what they answered', () => {
    const lines = csvOf(rows(), false);
    expect(lines).toHaveLength(1 + 12);
    const all = lines.join('\n');
    expect(all).not.toContain('Sam Okafor');
    expect(all).not.toContain('2026-10-07');
    // Sam's don't-know on learning: frontline staff hold only 2 ratings there, so they are hidden
    // on that capability, and with them Leadership (else the rest of the total would be Sam's
    // group); neither group is named beside its people's answers.
    expect(all).not.toContain('Frontline staff');
    expect(all).not.toContain('Leadership');
    expect(lines.slice(1).every((line) => line.split(',')[1] === HIDDEN_GROUPS_LABEL)).toBe(true);
    expect(all).toContain(
      '4,Managing Risk,4,Needs Improvement,no,managing-risk.4.1,"Registers are ""tick-box"", not used",high',
    );
    // The same answers given in another order are numbered the same way.
    expect(csvOf([...rows()].reverse(), false)).toEqual(lines);
  });

  it('names groups shown on every capability', () => {
    const list = rows().map((r) =>
      r.responseId === 'r1'
        ? { ...r, answers: r.answers.map((a) => ({ ...a, level: 4 as Level })) }
        : r,
    );
    const lines = csvOf(list, false);
    expect(lines[1]).toMatch(/^Respondent 1,Frontline staff,,1,Organisational Learning,/);
    expect(lines.join('\n')).toContain('Respondent 6,Leadership,,');
  });

  it('names respondents, and says when they sent, only when asked', () => {
    const all = csvOf(rows(), true).join('\n');
    expect(all).toContain('Sam Okafor');
    expect(all).toContain('2026-10-07T09:01:00.000Z');
  });
});
