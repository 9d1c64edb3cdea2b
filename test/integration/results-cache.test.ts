// The results page of a closed round is kept once drawn (src/web/assessments/results.ts and
// `reply.keptPage()` in src/web/plugins/views.ts). These tests hold it to showing every change at
// once, to fresh per-response parts (CSRF token, CSP nonce, one-off messages, navigation), and to
// each user and organisation seeing only their own page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { ORG_CAPABILITIES, seedClosedRound } from '../helpers/rounds.ts';

const LEVELS = [2, 3, 3, 4, 4, 4] as const;

function nonceOf(html: string): string | undefined {
  return /<script nonce="([^"]+)"/.exec(html)?.[1];
}

/** The page with its per-response parts (CSRF token, nonce) blanked, to compare two responses. */
function withoutPerResponseParts(html: string): string {
  return html
    .replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""')
    .replace(/<script nonce="[^"]+"/g, '<script nonce=""');
}

describe.each(testDatabases)('kept results pages on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let roundId: string;
  const url = () => `/assessments/${roundId}/results`;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    roundId = await seedClosedRound(t.storage, {
      title: 'Kept round',
      groups: ['Leadership', 'Frontline staff'],
      levels: LEVELS,
    });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the same page again with a fresh CSRF token and the nonce of its own CSP header', async () => {
    const first = await lead.get(url());
    const second = await lead.get(url());
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(second.body).toContain('6 people have sent answers');
    expect(withoutPerResponseParts(second.body)).toBe(withoutPerResponseParts(first.body));
    for (const res of [first, second]) {
      const nonce = nonceOf(res.body);
      expect(nonce).toBeTruthy();
      expect(String(res.headers['content-security-policy'])).toContain(`'nonce-${nonce}'`);
    }
    expect(nonceOf(second.body)).not.toBe(nonceOf(first.body));
    expect(csrfTokenFrom(second.body)).not.toBe(csrfTokenFrom(first.body));
    // The token in the kept page is a working one.
    const signOut = await lead.post('/sign-out', { _csrf: csrfTokenFrom(second.body) });
    expect(signOut.statusCode).toBe(303);
    expect((await lead.get(url())).statusCode).toBe(303);
    await lead.signIn('lead@demo-council.example');
  });

  it('shows a new target and a newly agreed level at once', async () => {
    const targetRow = /Target\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1 Outstanding/;
    const before = await lead.get(url());
    expect(before.body).not.toMatch(targetRow);
    const targets = await lead.submit('/assessments/targets', '/assessments/targets', {
      'target-managing-risk': '1',
      'rationale-managing-risk': 'Target level for the kept round',
    });
    expect(targets.statusCode).toBe(303);
    const withTarget = await lead.get(url());
    expect(withTarget.body).toMatch(targetRow);

    expect(before.body).not.toContain('Agreed in the kept-page test');
    const agreed = await lead.submit(
      `/assessments/${roundId}/moderate/managing-risk`,
      `/assessments/${roundId}/moderate/managing-risk`,
      {
        agreedLevel: '5',
        evidenceStrength: 'documented',
        rationale: 'Agreed in the kept-page test',
      },
    );
    expect(agreed.statusCode).toBe(303);
    await lead.get(`/assessments/${roundId}/moderate`); // shows and clears the one-off message
    const withAgreed = await lead.get(url());
    expect(withAgreed.body).toContain('Agreed in the kept-page test');
  });

  it('shows a one-off message once, then the kept page without it', async () => {
    const page = await lead.get(`/assessments/${roundId}`);
    await lead.post(`/assessments/${roundId}/open`, { _csrf: csrfTokenFrom(page.body) });
    const reopened = await lead.get(url());
    expect(reopened.body).toContain('The round is open: respondents can now answer.');
    expect(reopened.body).toContain('The round is still open');
    const again = await lead.get(url());
    expect(again.body).not.toContain('The round is open: respondents can now answer.');
    const roundPage = await lead.get(`/assessments/${roundId}`);
    await lead.post(`/assessments/${roundId}/close`, { _csrf: csrfTokenFrom(roundPage.body) });
    await lead.get(url()); // shows and clears the message about closing
    const closed = await lead.get(url());
    expect(closed.body).not.toContain('The round is still open');
    expect(closed.body).not.toContain('The round is closed: no more answers are accepted.');
  });

  it('gives each user their own page: role, navigation and organisation name', async () => {
    const leadPage = await lead.get(url());
    expect(leadPage.body).toContain('Download responses (CSV)');
    const viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    const viewerPage = await viewer.get(url());
    expect(viewerPage.statusCode).toBe(200);
    expect(viewerPage.body).not.toContain('Download responses (CSV)');
    expect(viewerPage.body).not.toContain('Agree the results and finalise');
    expect(csrfTokenFrom(viewerPage.body)).not.toBe(csrfTokenFrom(leadPage.body));
    expect((await lead.get(url())).body).toContain('Download responses (CSV)');

    const admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    const renamed = await admin.submit('/organisation/settings', '/organisation/settings', {
      name: 'Renamed Borough Council',
      sector: 'Local government',
    });
    expect(renamed.statusCode).toBe(303);
    expect((await lead.get(url())).body).toContain('Renamed Borough Council');
    expect((await viewer.get(url())).body).toContain('Renamed Borough Council');

    const other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
    expect((await other.get(url())).statusCode).toBe(404);
  });

  it('shows a finalised round, then each correction, at once', async () => {
    for (const capability of ORG_CAPABILITIES) {
      const res = await lead.submit(
        `/assessments/${roundId}/moderate/${capability}`,
        `/assessments/${roundId}/moderate/${capability}`,
        { agreedLevel: '4', evidenceStrength: 'documented', rationale: 'Agreed for the record' },
      );
      expect(res.statusCode).toBe(303);
    }
    const final = await lead.submit(
      `/assessments/${roundId}/moderate`,
      `/assessments/${roundId}/finalise`,
      {},
    );
    expect(final.statusCode).toBe(303);
    await lead.get(url()); // shows and clears the message about finalising
    const version1 = await lead.get(url());
    expect(version1.body).toContain('Finalised results, version 1');
    expect(version1.body).not.toContain('govuk-notification-banner');
    expect((await lead.get(url())).body).toContain('Finalised results, version 1');

    const correction = await lead.submit(
      `/assessments/${roundId}/moderate/managing-risk`,
      `/assessments/${roundId}/moderate/managing-risk`,
      {
        agreedLevel: '3',
        evidenceStrength: 'documented',
        rationale: 'Audit report found gaps',
        reason: 'Correction in the kept-page test',
      },
    );
    expect(correction.statusCode).toBe(303);
    await lead.get(url()); // shows and clears the message about the correction
    const version2 = await lead.get(url());
    expect(version2.body).toContain('Finalised results, version 2');
    expect(version2.body).toContain('Correction in the kept-page test');
    expect(version2.body).toContain('Audit report found gaps');

    // A correction that only records a reason still makes a new version.
    const same = await lead.submit(
      `/assessments/${roundId}/moderate/managing-risk`,
      `/assessments/${roundId}/moderate/managing-risk`,
      {
        agreedLevel: '3',
        evidenceStrength: 'documented',
        rationale: 'Audit report found gaps',
        reason: 'Second look, same level',
      },
    );
    expect(same.statusCode).toBe(303);
    await lead.get(url());
    const version3 = await lead.get(url());
    expect(version3.body).toContain('Finalised results, version 3');
    expect(version3.body).toContain('Second look, same level');
  });
});
