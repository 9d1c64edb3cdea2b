import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  summariseRound,
  type AgreedLevel,
  type Answer,
  type Level,
} from '../../../domain/assessment/index.ts';
import { answersFor } from '../../../domain/assessment/testAnswers.ts';
import { defaultFramework } from '../../../domain/framework/index.ts';
import { levelsOf, type RoundResults } from '../../../services/assessmentResults.ts';
import type { Round } from '../../../storage/index.ts';
import { buildAssessmentReportPdf, LEVEL_SCALE_TEXT } from './report.ts';
import { pdfText } from '../../../../test/helpers/pdf-text.ts';
import { reportPdfData } from './report-data.ts';
import { pdfSafeText } from '../../pdf/text.ts';

const GROUPS = [
  { id: 'lead', name: 'Leadership', position: 0 },
  { id: 'front', name: 'Frontline staff', position: 1 },
  { id: 'digital', name: 'Digital & data', position: 2 },
  { id: 'hr', name: 'HR & workforce', position: 3 },
  { id: 'proc', name: 'Procurement & commercial', position: 4 },
];

function results(): RoundResults {
  const round: Round = {
    id: '00000000-0000-4000-8000-000000000001',
    scope: 'organisation',
    title: 'Capability baseline – autumn 2026',
    opensOn: '2026-09-01',
    closesOn: '2026-09-30',
    status: 'closed',
    frameworkId: defaultFramework.id,
    frameworkVersion: defaultFramework.version,
    minGroupSize: 3,
    createdAt: '2026-08-20T10:00:00.000Z',
    openedAt: null,
    closedAt: null,
    finalisedAt: null,
    groups: GROUPS,
  };
  const levels: Record<string, [Level | null, Level | null]> = {
    'organisational-learning': [2, 4],
    'planning-and-prioritisation': [3, 3],
    'developing-new-ways-of-working': [1, 5],
    'managing-risk': [2, 2],
    'managing-supplier-relations': [4, null],
  };
  const answers: Answer[] = Object.entries(levels).flatMap(([capabilityId, [a, b]]) => [
    ...answersFor(capabilityId, 'lead', [a, a, a], { evidence: 'Post-project reviews → board' }),
    ...answersFor(capabilityId, 'front', [b, b, b, b], {
      evidence: 'Lessons are lost when people leave; Gwasanaeth ŵyr',
    }),
    ...answersFor(capabilityId, 'digital', [3]),
  ]);
  const summary = summariseRound(defaultFramework, 'organisation', answers, GROUPS, {
    minGroupSize: 3,
  });
  const agreed: AgreedLevel[] = [
    {
      capabilityId: 'managing-risk',
      agreedLevel: 2,
      evidenceStrength: 'asserted',
      rationale: 'Leaders believe the framework is in place',
    },
  ];
  return {
    round,
    framework: defaultFramework,
    summary,
    agreed,
    ...levelsOf(defaultFramework, summary, agreed),
    respondents: 8,
    targets: {},
    targetsBasis: 'current',
    answers,
  };
}

describe('the assessment report PDF', () => {
  const creationDate = new Date('2026-10-01T09:30:00.000Z');
  const data = reportPdfData(results(), {
    organisationName: 'Demo Borough Council',
    targets: { 'managing-risk': 2, 'organisational-learning': 3 },
    generatedAt: creationDate,
  });

  it('is a PDF with the title block, the scale in words, every capability and the roadmap', async () => {
    const pdf = await buildAssessmentReportPdf(data, { creationDate });
    if (process.env.REPORT_PDF_OUT) writeFileSync(process.env.REPORT_PDF_OUT, pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Capability baseline – autumn 2026');
    expect(text).toContain('Demo Borough Council');
    expect(text).toContain(LEVEL_SCALE_TEXT);
    expect(text).toContain('Framework hoskins-2025 version');
    for (const name of [
      'Organisational Learning',
      'Planning & Prioritisation',
      'Managing Supplier Relations',
    ])
      expect(text).toContain(name);
    expect(text).toContain('< Better');
    expect(text).toContain('Worse >');
    expect(text).toContain('Middle half of the ratings (inter-quartile range)');
    expect(text).toContain('hidden (privacy rule)');
    expect(text).toContain('needs documented or independently verified evidence');
    expect(text).toContain('Post-project reviews -> board');
    expect(text).toContain('Gwasanaeth wyr');
    expect(text).toContain('Make sure that');
    expect(text).toMatch(/Page 1 of \d/);
  });

  it('is the same for the same data and creation date', async () => {
    const a = await buildAssessmentReportPdf(data, { creationDate });
    const b = await buildAssessmentReportPdf(data, { creationDate });
    expect(a.equals(b)).toBe(true);
  });

  it('can be written uncompressed, with the text readable as it stands', async () => {
    const pdf = await buildAssessmentReportPdf(data, { creationDate, compress: false });
    expect(pdf.toString('latin1')).not.toContain('/FlateDecode');
    expect(pdfText(pdf)).toContain('Managing Risk');
  });
});

describe('text for the standard fonts', () => {
  it('keeps WinAnsi characters and writes the rest in the nearest it has', () => {
    expect(pdfSafeText('“Good” – café £5 €3 …')).toBe('“Good” – café £5 €3 …');
    expect(pdfSafeText('4 → 3, ≤ 2')).toBe('4 -> 3, <= 2');
    expect(pdfSafeText('ŵ ŷ Ł')).toBe('w y ?');
    expect(pdfSafeText('a\u200bb\tc')).toBe('ab c');
  });
});
