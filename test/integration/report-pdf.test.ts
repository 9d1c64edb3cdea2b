// The assessment report as a PDF over HTTP, on every database: a real PDF with the round's title,
// its capabilities and the words of the scale; readable by a viewer; not found (404) for another
// organisation; the HTML report and the results page link to it.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../helpers/pdf-text.ts';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { answerAll } from '../helpers/rounds.ts';

const TITLE = 'Readiness review – spring 2027';

describe.each(testDatabases)('assessment report as PDF on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let roundId = '';
  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    const created = await lead.submit('/assessments/new', '/assessments', {
      title: TITLE,
      scope: 'organisation',
      'opensOn-day': '1',
      'opensOn-month': '3',
      'opensOn-year': '2027',
      'closesOn-day': '31',
      'closesOn-month': '3',
      'closesOn-year': '2027',
      groups: 'Leadership\nFrontline staff',
      minGroupSize: '2',
    });
    roundId = /\/assessments\/([0-9a-f-]{36})$/.exec(created.headers.location ?? '')?.[1] ?? '';
    expect(roundId).not.toBe('');
    const page = await lead.get(`/assessments/${roundId}/respondents`);
    const groupId = (name: string) =>
      new RegExp(`<option value="([0-9a-f-]{36})">${name}</option>`).exec(page.body)?.[1] ?? '';
    const links = async (group: string, count: string) => {
      const p = await lead.get(`/assessments/${roundId}/respondents`);
      const res = await lead.post(`/assessments/${roundId}/links`, {
        _csrf: csrfTokenFrom(p.body),
        groupId: groupId(group),
        count,
      });
      const found = [...res.body.matchAll(/http:\/\/[^/<]+(\/respond\/[A-Za-z0-9_-]+)/g)];
      return [...new Set(found.map((m) => m[1] ?? ''))];
    };
    const leaders = await links('Leadership', '2');
    const staff = await links('Frontline staff', '2');
    const opening = await lead.get(`/assessments/${roundId}`);
    await lead.post(`/assessments/${roundId}/open`, { _csrf: csrfTokenFrom(opening.body) });
    for (const [bases, level, evidence] of [
      [leaders, '2', 'Reviews are written up → shared'],
      [staff, '4', 'Lessons are lost when people leave'],
    ] as const) {
      for (const base of bases) {
        const client = new Client(t.app);
        await answerAll(client, base, level, evidence);
        const check = await client.get(`${base}/check`);
        const sent = await client.post(`${base}/submit`, { _csrf: csrfTokenFrom(check.body) });
        expect(sent.statusCode).toBe(303);
      }
    }
    const closing = await lead.get(`/assessments/${roundId}`);
    await lead.post(`/assessments/${roundId}/close`, { _csrf: csrfTokenFrom(closing.body) });
    await lead.submit('/assessments/targets', '/assessments/targets', {
      'target-managing-risk': '2',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('downloads a real PDF with the report’s content', async () => {
    const res = await lead.get(`/assessments/${roundId}/report.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="throughline-readiness-review-spring-2027-report.pdf"',
    );
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    if (process.env.REPORT_PDF_OUT) writeFileSync(process.env.REPORT_PDF_OUT, pdf);
    const text = pdfText(pdf);
    expect(text).toContain(TITLE);
    expect(text).toContain('Demo Borough Council');
    expect(text).toContain('Managing Supplier Relations');
    expect(text).toContain('1 Outstanding (best)');
    expect(text).toContain('5 Inadequate (weakest)');
    expect(text).toContain('Lessons are lost when people leave');
    // Characters Helvetica cannot draw are written out rather than lost.
    expect(text).toContain('Reviews are written up -> shared');
    // The heat map's table names both groups, and the perception gap between them is explained.
    expect(text).toContain('Frontline staff');
    expect(text).toContain('Leadership');
    expect(text).toContain('Make sure that');
  });

  it('lets a viewer download it, and hides it from another organisation (404)', async () => {
    const viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    const ok = await viewer.get(`/assessments/${roundId}/report.pdf`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('application/pdf');
    const other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
    expect((await other.get(`/assessments/${roundId}/report.pdf`)).statusCode).toBe(404);
    const anonymous = await new Client(t.app).get(`/assessments/${roundId}/report.pdf`);
    expect(anonymous.statusCode).not.toBe(200);
  });

  it('follows changes to a closed round whose results are kept between requests', async () => {
    const before = await lead.get(`/assessments/${roundId}/results`);
    expect(before.body).toContain('Frontline staff');
    const form = await lead.get(`/assessments/${roundId}/edit`);
    const frontline = /name="group-([0-9a-f-]{36})"[^>]*value="Frontline staff"/.exec(
      form.body,
    )?.[1];
    expect(frontline).toBeDefined();
    const renamed = await lead.post(`/assessments/${roundId}/edit`, {
      _csrf: csrfTokenFrom(form.body),
      title: TITLE,
      'opensOn-day': '1',
      'opensOn-month': '3',
      'opensOn-year': '2027',
      'closesOn-day': '31',
      'closesOn-month': '3',
      'closesOn-year': '2027',
      minGroupSize: '2',
      [`group-${frontline ?? ''}`]: 'Front-line teams',
    });
    expect(renamed.statusCode).toBe(303);
    const after = await lead.get(`/assessments/${roundId}/results`);
    expect(after.body).toContain('Front-line teams see this capability as weaker');
    expect(pdfText((await lead.get(`/assessments/${roundId}/report.pdf`)).rawPayload)).toContain(
      'Front-line teams',
    );
  });

  it('is linked from the printable report and the results page', async () => {
    for (const page of ['report', 'results']) {
      const res = await lead.get(`/assessments/${roundId}/${page}`);
      expect(res.body).toContain(`href="/assessments/${roundId}/report.pdf"`);
      expect(res.body).toContain('Download the report (PDF)');
    }
  });
});
