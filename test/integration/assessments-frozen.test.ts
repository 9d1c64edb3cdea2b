// Finalised means frozen, and the evidence rule (issue 12, points 3 and 4), through HTTP on every
// database. On the demo council's autumn 2026 review (closed, Managing Risk median 3 Adequate with
// a target of 3): the evidence rule is tried through the moderation form — a lead's claim of Good on
// asserted evidence is refused, so is a forged override from the lead, and an administrator's
// override needs a reason and is audited and shown. The round is finalised; then the targets change
// and a level is agreed in another round, and every surface of the finalised round (page, PDF, CSV,
// JSON, API) must read exactly as before. A correction becomes version 2; both versions can be read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor, Client, startTestApp, text, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { seedClosedRound } from '../helpers/rounds.ts';

const AUTUMN = 'Capability review, autumn 2026';
const SPRING = 'Capability check, spring 2026';
const MR = 'managing-risk';
const OL = 'organisational-learning';
const REASON = 'The internal audit report confirming the learning reviews is due in May';

interface Report {
  round: {
    snapshotVersion: number | null;
    latestSnapshotVersion: number | null;
    targetsBasis: string;
  };
  capabilities: {
    capabilityId: string;
    result: { consensus: number | null };
    agreed: { agreedLevel: number; evidenceOverride?: { reason: string; byName: string } } | null;
    target: { level: number; text: string } | null;
  }[];
}

function between(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  const end = html.indexOf(to, start + from.length);
  if (start < 0 || end < 0) throw new Error(`no section from ${from} to ${to}`);
  return html.slice(start, end);
}

/**
 * A page's own content: from its heading to the end of <main>, without what changes per request
 * (CSRF token, nonce, the message after the last action) or the time the report was printed.
 */
function content(html: string): string {
  const start = html.indexOf('<h1');
  const end = html.indexOf('</main>');
  if (start < 0 || end < 0) throw new Error('no main content');
  // The forms on the page (tracking a roadmap action) carry a fresh CSRF token on every request.
  return html
    .slice(start, end)
    .replace(/Printed [^<.]*\./g, '')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');
}

/** The PDF's text without the time it was printed. */
const pdfWithoutPrintTime = (payload: Buffer) => pdfText(payload).replace(/Printed [^.]*\./g, '');

describe.each(testDatabases)(
  'finalised means frozen, and the evidence rule, on $name',
  (factory) => {
    let t: TestApp;
    let lead: Client;
    let admin: Client;
    let roundId: string;
    let springId: string;
    let token: string;
    const before: Record<string, string> = {};
    let pdfBefore = '';

    const moderate = (id: string, capabilityId: string) =>
      `/assessments/${id}/moderate/${capabilityId}`;
    const surfaces = async (id: string, version = '') => ({
      page: content((await lead.get(`/assessments/${id}/results${version}`)).body),
      roadmap: content((await lead.get(`/assessments/${id}/roadmap${version}`)).body),
      report: content((await lead.get(`/assessments/${id}/report${version}`)).body),
      csv: (await lead.get(`/assessments/${id}/results.csv${version}`)).body,
      json: (await lead.get(`/assessments/${id}/results.json${version}`)).body,
      api: (
        await t.app.inject({
          url: `/api/assessments/rounds/${id}/results${version}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).body,
    });

    beforeAll(async () => {
      t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
      lead = new Client(t.app);
      await lead.signIn('lead@demo-council.example');
      admin = new Client(t.app);
      await admin.signIn('admin@demo-council.example');
      token = await apiTokenFor(t, 'admin@demo-council.example', 'Frozen');
      const list = (await lead.get('/assessments')).body;
      const idOf = (title: string) =>
        new RegExp(`href="/assessments/([0-9a-f-]{36})">${title}<`).exec(list)?.[1] ?? '';
      roundId = idOf(AUTUMN);
      springId = idOf(SPRING);
      expect(roundId).not.toBe('');
    });
    afterAll(async () => {
      await t.close();
    });

    it('refuses Good on asserted evidence beside the evidence field, and a forged override from a lead', async () => {
      const claim = { agreedLevel: '2', evidenceStrength: 'asserted', rationale: 'We think so' };
      const refused = await lead.submit(moderate(roundId, OL), moderate(roundId, OL), claim);
      expect(refused.statusCode).toBe(400);
      const field = between(refused.body, 'id="evidenceStrength-error"', '</p>');
      expect(text(field)).toContain(
        'An agreed level of 2 Good needs documented or independently verified evidence, not asserted evidence.',
      );
      // The lead's form has no override; a forged one is refused, not ignored.
      expect(refused.body).not.toContain('name="overrideEvidenceRule"');
      const forged = await lead.submit(moderate(roundId, OL), moderate(roundId, OL), {
        ...claim,
        overrideEvidenceRule: 'yes',
        overrideReason: 'Trust me',
      });
      expect(forged.statusCode).toBe(400);
      expect(text(forged.body)).toContain('Only an administrator can override the evidence rule.');
      const report = (await lead.get(`/assessments/${roundId}/results.json`)).json<Report>();
      expect(report.capabilities.find((c) => c.capabilityId === OL)?.agreed).toBeNull();
    });

    it('lets an administrator override with a reason, audited and shown on the results', async () => {
      const page = await admin.get(moderate(roundId, OL));
      expect(page.body).toContain('name="overrideEvidenceRule"');
      const claim = { agreedLevel: '2', evidenceStrength: 'asserted', rationale: 'Reviews happen' };
      const noReason = await admin.submit(moderate(roundId, OL), moderate(roundId, OL), {
        ...claim,
        overrideEvidenceRule: 'yes',
        overrideReason: ' ',
      });
      expect(noReason.statusCode).toBe(400);
      expect(between(noReason.body, 'id="overrideReason-error"', '</p>')).toContain(
        'Give the reason for overriding the evidence rule',
      );
      const saved = await admin.submit(moderate(roundId, OL), moderate(roundId, OL), {
        ...claim,
        overrideEvidenceRule: 'yes',
        overrideReason: REASON,
      });
      expect(saved.statusCode).toBe(303);
      const shown = `Evidence rule overridden by Alex Morgan: ${REASON}`;
      const results = text((await lead.get(`/assessments/${roundId}/results`)).body);
      expect(between(results, 'id="capability-organisational-learning"', '</section>')).toContain(
        shown,
      );
      expect(text((await lead.get(`/assessments/${roundId}/roadmap`)).body)).toContain(shown);
      expect(text((await lead.get(`/assessments/${roundId}/report`)).body)).toContain(shown);
      const report = (await lead.get(`/assessments/${roundId}/results.json`)).json<Report>();
      expect(report.capabilities.find((c) => c.capabilityId === OL)?.agreed).toMatchObject({
        agreedLevel: 2,
        evidenceOverride: { reason: REASON, byName: 'Alex Morgan' },
      });
      const audited = await t.storage.db.kysely
        .selectFrom('audit_events')
        .select(['actor_label', 'details'])
        .where('action', '=', 'assessment.evidence_rule_overridden')
        .where('entity_id', '=', roundId)
        .execute();
      expect(audited).toHaveLength(1);
      expect(JSON.parse(audited[0]?.details ?? '{}')).toMatchObject({
        capabilityId: OL,
        level: 2,
        reason: REASON,
      });
    });

    it('keeps every surface of a finalised round as it was when targets and other rounds change', async () => {
      const report = (await lead.get(`/assessments/${roundId}/results.json`)).json<Report>();
      for (const c of report.capabilities) {
        if (c.agreed || c.result.consensus === null) continue;
        const res = await lead.submit(
          moderate(roundId, c.capabilityId),
          moderate(roundId, c.capabilityId),
          {
            agreedLevel: String(c.result.consensus),
            evidenceStrength: 'documented',
            rationale: '',
          },
        );
        expect(res.statusCode).toBe(303);
      }
      const final = await lead.submit(
        `/assessments/${roundId}/moderate`,
        `/assessments/${roundId}/finalise`,
        {},
      );
      expect(final.statusCode).toBe(303);
      Object.assign(before, await surfaces(roundId));
      pdfBefore = pdfWithoutPrintTime(
        (await lead.get(`/assessments/${roundId}/report.pdf`)).rawPayload,
      );
      const mrSection = between(before.page ?? '', 'id="capability-managing-risk"', '</section>');
      expect(mrSection).toContain('At or better than your target of 3 Adequate');
      expect(text(before.page ?? '')).toContain(
        'Targets are those set when the round was finalised; targets set later apply to later rounds.',
      );

      // Months later: a new target for Managing Risk, and a level agreed in another, closed round.
      const targets = await lead.submit('/assessments/targets', '/assessments/targets', {
        [`target-${MR}`]: '1',
        [`rationale-${MR}`]: 'Needed for the predictive triage system',
      });
      expect(targets.statusCode).toBe(303);
      const other = await seedClosedRound(t.storage, {
        title: 'Capability check, winter 2027',
        groups: ['Leadership', 'Frontline'],
        levels: [3, 3, 3, 3, 3, 3],
      });
      const agreedElsewhere = await lead.submit(moderate(other, MR), moderate(other, MR), {
        agreedLevel: '4',
        evidenceStrength: 'documented',
        rationale: 'The register is out of date',
      });
      expect(agreedElsewhere.statusCode).toBe(303);
      // The new target applies to the round not yet finalised…
      const later = (await lead.get(`/assessments/${other}/results.json`)).json<Report>();
      expect(later.capabilities.find((c) => c.capabilityId === MR)?.target?.level).toBe(1);

      // …and the finalised one is unchanged everywhere.
      const after = await surfaces(roundId);
      for (const [surface, body] of Object.entries(after)) {
        expect({ surface, body }).toEqual({ surface, body: before[surface] });
      }
      expect(
        pdfWithoutPrintTime((await lead.get(`/assessments/${roundId}/report.pdf`)).rawPayload),
      ).toBe(pdfBefore);
      expect(pdfBefore).toContain('At or better than your target of 3 Adequate');
      expect(pdfBefore).not.toContain('target of 1 Outstanding');
    });

    it('keeps a correction as version 2, with who, when and why, and both versions can be read', async () => {
      const url = moderate(roundId, MR);
      const noReason = await lead.submit(url, url, {
        agreedLevel: '4',
        evidenceStrength: 'documented',
        rationale: 'The risk register was found out of date',
      });
      expect(noReason.statusCode).toBe(400);
      const corrected = await lead.submit(url, url, {
        agreedLevel: '4',
        evidenceStrength: 'documented',
        rationale: 'The risk register was found out of date',
        reason: 'Internal audit found the risk register had not been reviewed',
      });
      expect(corrected.statusCode).toBe(303);

      const v1 = await surfaces(roundId, '?version=1');
      expect(v1.csv).toBe(before.csv);
      expect(v1.api).toBe(before.api);
      expect(text(v1.page)).toContain('This is version 1 of 2, not the latest.');

      const latest = (await lead.get(`/assessments/${roundId}/results.json`)).json<Report>();
      expect(latest.round).toMatchObject({
        snapshotVersion: 2,
        targetsBasis: 'recorded',
      });
      const mr = latest.capabilities.find((c) => c.capabilityId === MR);
      expect(mr?.agreed?.agreedLevel).toBe(4);
      // The correction keeps the targets of the version it corrects, not today's.
      expect(mr?.target).toMatchObject({
        level: 3,
        text: '1 level to go to reach your target of 3 Adequate',
      });
      const first = JSON.parse(before.json ?? '{}') as Report;
      expect(first.capabilities.find((c) => c.capabilityId === MR)?.agreed?.agreedLevel).toBe(3);

      const round = text((await lead.get(`/assessments/${roundId}`)).body);
      const versions = between(round, 'id="versions"', '</table>');
      expect(versions).toContain('Version 1');
      expect(versions).toContain('Finalised');
      expect(versions).toContain('Version 2');
      expect(versions).toContain('Internal audit found the risk register had not been reviewed');
      expect(versions).toContain('by Priya Shah');

      expect((await lead.get(`/assessments/${roundId}/results?version=3`)).statusCode).toBe(404);
      expect((await lead.get(`/assessments/${roundId}/report.pdf?version=x`)).statusCode).toBe(404);
    });

    it('reads a snapshot written before targets were kept with the targets of its finalising time', async () => {
      // Spring 2026 as an older version of Throughline wrote it: no targets and no roadmap inside.
      const row = await t.storage.db.kysely
        .selectFrom('round_snapshots')
        .select(['id', 'snapshot'])
        .where('round_id', '=', springId)
        .executeTakeFirstOrThrow();
      const old = JSON.parse(row.snapshot) as Record<string, unknown>;
      delete old.targets;
      delete old.roadmaps;
      delete old.framework;
      await t.storage.db.kysely
        .updateTable('round_snapshots')
        .set({ snapshot: JSON.stringify(old) })
        .where('id', '=', row.id)
        .execute();
      // Managing Risk's target was 3 when spring was finalised and is 1 now (set in the test above).
      const report = (await lead.get(`/assessments/${springId}/results.json`)).json<Report>();
      expect(report.capabilities.find((c) => c.capabilityId === MR)?.target?.level).toBe(3);
      expect(text((await lead.get(`/assessments/${springId}/results`)).body)).toContain(
        'rebuilt from the audit log',
      );
    });

    it('applies the evidence rule to corrections of a finalised round too', async () => {
      const url = moderate(roundId, OL);
      const claim = {
        agreedLevel: '1',
        evidenceStrength: 'asserted',
        rationale: 'Learning is part of the culture',
        reason: 'Peer review praised the learning reviews',
      };
      const forged = await lead.submit(url, url, {
        ...claim,
        overrideEvidenceRule: 'yes',
        overrideReason: 'Trust me',
      });
      expect(forged.statusCode).toBe(400);
      expect(text(forged.body)).toContain('Only an administrator can override the evidence rule.');
      const corrected = await admin.submit(url, url, {
        ...claim,
        overrideEvidenceRule: 'yes',
        overrideReason: 'The peer review report is being written up',
      });
      expect(corrected.statusCode).toBe(303);
      const latest = (await lead.get(`/assessments/${roundId}/results.json`)).json<Report>();
      expect(latest.round.snapshotVersion).toBe(3);
      expect(latest.capabilities.find((c) => c.capabilityId === OL)?.agreed).toMatchObject({
        agreedLevel: 1,
        evidenceOverride: {
          reason: 'The peer review report is being written up',
          byName: 'Alex Morgan',
        },
      });
      const audited = await t.storage.db.kysely
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'assessment.evidence_rule_overridden')
        .where('entity_id', '=', roundId)
        .execute();
      expect(audited.map((a) => (JSON.parse(a.details) as { version?: number }).version)).toEqual([
        undefined,
        3,
      ]);
    });
  },
);
