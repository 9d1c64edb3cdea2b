// Invitations by email through HTTP on every database, against a real SMTP server on loopback
// (smtp-server, messages parsed with mailparser): one person and a CSV file of people invited to
// answer a round, reminders before the closing date through the job runner and the CLI, member
// invitations, a mail server that is down, and a service with no email set up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as cli } from '../../src/cli/index.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import { createJobRunner } from '../../src/jobs/index.ts';
import { MailService, minutesToAnswer } from '../../src/services/mail/index.ts';
import { Client, csrfTokenFrom, startTestApp, text, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { answerAll, ORG_CAPABILITIES } from '../helpers/rounds.ts';
import { linkIn, TestSmtpServer } from '../helpers/smtp.ts';

const FROM = 'Throughline <assessments@demo-council.example>';

async function createOpenRound(lead: Client, title: string): Promise<string> {
  const res = await lead.submit('/assessments/new', '/assessments', {
    title,
    scope: 'organisation',
    'opensOn-day': '1',
    'opensOn-month': '3',
    'opensOn-year': '2027',
    'closesOn-day': '31',
    'closesOn-month': '3',
    'closesOn-year': '2027',
    groups: 'Leadership\nFrontline staff',
    minGroupSize: '3',
  });
  const id = /\/assessments\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1] ?? '';
  await lead.submit(`/assessments/${id}`, `/assessments/${id}/open`, {});
  return id;
}

function groupIds(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<option value="([0-9a-f-]{36})"[^>]*>([^<]+)<\/option>/g))
    out[text(m[2] ?? '').trim()] = m[1] ?? '';
  return out;
}

/** Posts the CSV upload form as a browser does: multipart, with the page's CSRF token. */
async function uploadCsv(t: TestApp, client: Client, roundId: string, csv: string) {
  const page = await client.get(`/assessments/${roundId}/respondents`);
  const boundary = '----throughlinetest7MA4YWxkTrZu0gW';
  const body = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="_csrf"',
    '',
    csrfTokenFrom(page.body),
    `--${boundary}`,
    'Content-Disposition: form-data; name="file"; filename="people.csv"',
    'Content-Type: text/csv',
    '',
    csv,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  const cookie = ['tl_session', 'tl_csrf']
    .map((name) => `${name}=${encodeURIComponent(client.cookie(name) ?? '')}`)
    .join('; ');
  return t.app.inject({
    method: 'POST',
    url: `/assessments/${roundId}/invite-csv`,
    headers: {
      cookie,
      accept: 'text/html',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: body,
  });
}

async function responsesOf(t: TestApp, roundId: string) {
  return t.storage.db.kysely
    .selectFrom('responses')
    .selectAll()
    .where('round_id', '=', roundId)
    .execute();
}

async function submitThroughLink(t: TestApp, path: string) {
  const client = new Client(t.app);
  await answerAll(client, path, '3');
  const check = await client.get(`${path}/check`);
  const sent = await client.post(`${path}/submit`, { _csrf: csrfTokenFrom(check.body) });
  expect(sent.statusCode).toBe(303);
}

describe.each(testDatabases)('invitations by email on $name', (factory) => {
  const smtp = new TestSmtpServer();
  let t: TestApp;
  let lead: Client;
  let admin: Client;
  let roundId: string;
  let groups: Record<string, string>;

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp(factory, {
      SIGN_IN_RATE_LIMIT: '1000',
      SMTP_URL: smtp.url,
      MAIL_FROM: FROM,
    });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    roundId = await createOpenRound(lead, 'Baseline by email');
    groups = groupIds((await lead.get(`/assessments/${roundId}/respondents`)).body);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('sends one invitation, plain text, whose link lets the person answer', async () => {
    const res = await lead.submit(
      `/assessments/${roundId}/respondents`,
      `/assessments/${roundId}/invite-email`,
      { email: 'Ann.Frontline@Example.org', groupId: groups['Frontline staff'] ?? '' },
    );
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('1 invitation sent by email');
    const [mail, ...more] = smtp.to('ann.frontline@example.org');
    expect(more).toEqual([]);
    expect(mail?.from).toBe('assessments@demo-council.example');
    expect(mail?.subject).toBe('Please answer: Baseline by email (closes Wednesday 31 March 2027)');
    expect(mail?.html).toBe(false);
    const body = (mail?.text ?? '').replace(/\s+/g, ' ');
    expect(body).toContain('Priya Shah at Demo Borough Council');
    expect(body).toContain('"Frontline staff"');
    expect(body).toContain(`about ${minutesToAnswer(ORG_CAPABILITIES.length)} minutes`);
    const path = linkIn(mail?.text ?? '', '/respond/');
    // The link is also on the page, to copy.
    expect(res.body).toContain(path);
    await submitThroughLink(t, path);
    const page = text((await lead.get(`/assessments/${roundId}/respondents`)).body);
    expect(page).toContain('Frontline staff email 1');
    const log = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'mail.invitation_sent')
      .execute();
    expect(log).toHaveLength(1);
  });

  it('refuses the same address twice in one round', async () => {
    const res = await lead.submit(
      `/assessments/${roundId}/respondents`,
      `/assessments/${roundId}/invite-email`,
      { email: 'ann.frontline@example.org', groupId: groups.Leadership ?? '' },
    );
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(
      'ann.frontline@example.org has already been invited to this round by email',
    );
  });

  it('refuses a CSV with a bad row whole, naming the row, and sends nothing', async () => {
    const before = (await responsesOf(t, roundId)).length;
    const sentBefore = smtp.messages.length;
    const res = await uploadCsv(
      t,
      lead,
      roundId,
      'email,group\nbob@example.org,Leadership\ncarol@example,Frontline staff\n',
    );
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(
      'Row 3: “carol@example” is not an email address in the correct format',
    );
    expect((await responsesOf(t, roundId)).length).toBe(before);
    expect(smtp.messages.length).toBe(sentBefore);
  });

  it('invites everyone in a good CSV once, merging duplicates', async () => {
    const res = await uploadCsv(
      t,
      lead,
      roundId,
      'email,group\nbob@example.org,Leadership\ncarol@example.org,frontline staff\nBOB@example.org,Leadership\nann.frontline@example.org,Frontline staff\n',
    );
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('2 invitations sent by email');
    expect(page).toContain('1 person was already invited to this round by email');
    expect(smtp.to('bob@example.org')).toHaveLength(1);
    expect(smtp.to('carol@example.org')).toHaveLength(1);
    expect(smtp.to('ann.frontline@example.org')).toHaveLength(1);
  });

  it('reminds only those who have not answered, once each, through the job runner and the CLI', async () => {
    const mail = MailService.fromConfig(t.storage, t.config, defaultFramework);
    const runner = createJobRunner(t.storage, { mail, pollMs: 50 });
    await runner.start();
    try {
      const organisationId = (
        await t.storage.db.kysely
          .selectFrom('organisations')
          .select('id')
          .where('name', '=', 'Demo Borough Council')
          .executeTakeFirstOrThrow()
      ).id;
      const scope = t.storage.scope(organisationId, { userId: null, label: 'test' });
      // Too early: nothing is due four days before closing.
      await runner.enqueue(scope, 'mail.reminders', { today: '2027-03-27' });
      await runner.idle();
      expect(smtp.messages.filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(0);
      for (let i = 0; i < 2; i++) {
        await runner.enqueue(scope, 'mail.reminders', { today: '2027-03-28' });
        await runner.idle();
      }
    } finally {
      await runner.stop();
      mail.close();
    }
    const reminders = () => smtp.messages.filter((m) => m.subject.startsWith('Reminder'));
    expect(
      reminders()
        .map((m) => m.to)
        .sort(),
    ).toEqual(['bob@example.org', 'carol@example.org']);
    expect(reminders()[0]?.subject).toBe(
      'Reminder: Baseline by email closes in 3 days, on Wednesday 31 March 2027',
    );
    // The reminder's new link works; the one in the invitation no longer does.
    const first = linkIn(smtp.to('bob@example.org')[0]?.text ?? '', '/respond/');
    const fresh = linkIn(smtp.to('bob@example.org')[1]?.text ?? '', '/respond/');
    expect((await new Client(t.app).get(fresh)).statusCode).toBe(200);
    expect((await new Client(t.app).get(first)).statusCode).toBe(404);
    // Bob answers; the 1-day reminder, sent by the CLI, goes to Carol alone, and only once.
    await submitThroughLink(t, fresh);
    const env = { ...process.env };
    try {
      process.env.DATABASE_URL =
        t.config.database.kind === 'sqlite'
          ? `sqlite:${t.config.database.file}`
          : t.config.database.url;
      process.env.SMTP_URL = smtp.url;
      process.env.MAIL_FROM = FROM;
      process.env.NODE_ENV = 'test';
      for (let i = 0; i < 2; i++) {
        expect(
          await cli(['node', 'throughline', 'mail', 'reminders', '--today', '2027-03-30']),
        ).toBe(0);
      }
    } finally {
      process.env = env;
    }
    expect(
      reminders()
        .map((m) => m.to)
        .sort(),
    ).toEqual(['bob@example.org', 'carol@example.org', 'carol@example.org']);
    expect(reminders().at(-1)?.subject).toContain('closes tomorrow');
    // The addresses of those who answered are gone; Carol's is kept for now.
    const kept = await t.storage.db.kysely
      .selectFrom('mail_recipients')
      .select('email')
      .where('round_id', '=', roundId)
      .where('email', 'is not', null)
      .execute();
    expect(kept.map((k) => k.email)).toEqual(['carol@example.org']);
    const page = text((await lead.get(`/assessments/${roundId}/respondents`)).body);
    expect(page).not.toContain('bob@example.org');
    expect(page).toContain('carol@example.org');
  });

  it('sends a member invitation that can be accepted', async () => {
    const res = await admin.submit('/organisation/invitations/new', '/organisation/invitations', {
      name: 'Dee Newcomer',
      email: 'dee@example.org',
      role: 'member',
      sendEmail: 'yes',
    });
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Invitation sent');
    const [mail] = smtp.to('dee@example.org');
    expect(mail?.subject).toBe('Join Demo Borough Council on Throughline');
    expect(mail?.html).toBe(false);
    const path = linkIn(mail?.text ?? '', '/invitations/');
    const invitee = new Client(t.app);
    const accept = await invitee.get(path);
    expect(accept.statusCode).toBe(200);
    const joined = await invitee.post(path, {
      _csrf: csrfTokenFrom(accept.body),
      name: 'Dee Newcomer',
      password: 'a-long-enough-password',
      confirmPassword: 'a-long-enough-password',
    });
    expect(joined.statusCode).toBe(303);
    expect(text((await invitee.get('/organisation')).body)).toContain('Demo Borough Council');
  });

  it('says plainly when the mail server is down, makes nothing, and works again after', async () => {
    await smtp.stop();
    try {
      const before = (await responsesOf(t, roundId)).length;
      const res = await lead.submit(
        `/assessments/${roundId}/respondents`,
        `/assessments/${roundId}/invite-email`,
        { email: 'erin@example.org', groupId: groups.Leadership ?? '' },
      );
      expect(res.statusCode).toBe(503);
      const page = text(res.body);
      expect(page).toContain(`The email server at 127.0.0.1:${smtp.port} refused the connection`);
      expect(page).toContain('Nothing was made');
      expect((await responsesOf(t, roundId)).length).toBe(before);
      const member = await admin.submit(
        '/organisation/invitations/new',
        '/organisation/invitations',
        { name: 'Fay', email: 'fay@example.org', role: 'member', sendEmail: 'yes' },
      );
      expect(member.statusCode).toBe(503);
      expect(text(member.body)).toContain('refused the connection');
      const invitations = await t.storage.db.kysely
        .selectFrom('invitations')
        .select('email')
        .where('email', '=', 'fay@example.org')
        .execute();
      expect(invitations).toEqual([]);
      const sent = await t.storage.db.kysely
        .selectFrom('mail_recipients')
        .select('status')
        .where('status', '!=', 'sent')
        .execute();
      expect(sent).toEqual([]);
    } finally {
      await smtp.start();
    }
    const retry = await lead.submit(
      `/assessments/${roundId}/respondents`,
      `/assessments/${roundId}/invite-email`,
      { email: 'erin@example.org', groupId: groups.Leadership ?? '' },
    );
    expect(retry.statusCode).toBe(200);
    expect(smtp.to('erin@example.org')).toHaveLength(1);
  });

  it('shows a message the server refused, in its words, and sends it again with a new link', async () => {
    smtp.refuse.add('gus@example.org');
    const res = await lead.submit(
      `/assessments/${roundId}/respondents`,
      `/assessments/${roundId}/invite-email`,
      { email: 'gus@example.org', groupId: groups.Leadership ?? '' },
    );
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('0 of 1 invitations sent by email');
    expect(text(res.body)).toContain('did not accept the address');
    const page = text((await lead.get(`/assessments/${roundId}/respondents`)).body);
    expect(page).toContain('Not sent: The email server');
    expect(page).toContain('No such mailbox here');
    expect(smtp.to('gus@example.org')).toEqual([]);
    smtp.refuse.delete('gus@example.org');
    const recipient = await t.storage.db.kysely
      .selectFrom('mail_recipients')
      .select(['response_id', 'status'])
      .where('email', '=', 'gus@example.org')
      .executeTakeFirstOrThrow();
    expect(recipient.status).toBe('failed');
    const again = await lead.submit(
      `/assessments/${roundId}/respondents`,
      `/assessments/${roundId}/respondents/${recipient.response_id ?? ''}/resend`,
      {},
    );
    expect(again.statusCode).toBe(303);
    const [mail] = smtp.to('gus@example.org');
    const link = linkIn(mail?.text ?? '', '/respond/');
    expect((await new Client(t.app).get(link)).statusCode).toBe(200);
    const after = text((await lead.get(`/assessments/${roundId}/respondents`)).body);
    expect(after).not.toContain('Not sent: The email server');
  });

  it('shows a member invitation the server refused, and emails a new link on asking', async () => {
    smtp.refuse.add('hal@example.org');
    const res = await admin.submit('/organisation/invitations/new', '/organisation/invitations', {
      name: 'Hal Later',
      email: 'hal@example.org',
      role: 'viewer',
      sendEmail: 'yes',
    });
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('The email was not sent');
    const copied = /\/invitations\/[A-Za-z0-9_-]{20,}/.exec(res.body)?.[0] ?? '';
    expect(copied).not.toBe('');
    smtp.refuse.delete('hal@example.org');
    const list = await admin.get('/organisation/invitations');
    expect(text(list.body)).toContain('Email not sent: The email server');
    const id = await t.storage.db.kysely
      .selectFrom('invitations')
      .select('id')
      .where('email', '=', 'hal@example.org')
      .executeTakeFirstOrThrow();
    const again = await admin.post(`/organisation/invitations/${id.id}/resend`, {
      _csrf: csrfTokenFrom(list.body),
    });
    expect(again.statusCode).toBe(303);
    const link = linkIn(smtp.to('hal@example.org')[0]?.text ?? '', '/invitations/');
    expect((await new Client(t.app).get(link)).statusCode).toBe(200);
    expect((await new Client(t.app).get(copied)).statusCode).toBe(404);
  });

  it('removes every address once the round is finalised, through the queued job', async () => {
    const closed = await lead.submit(
      `/assessments/${roundId}`,
      `/assessments/${roundId}/close`,
      {},
    );
    expect(closed.statusCode).toBe(303);
    // Finalising is moderation's business (tested there); here the round is simply marked so.
    await t.storage.db.kysely
      .updateTable('assessment_rounds')
      .set({ status: 'finalised', finalised_at: new Date().toISOString() })
      .where('id', '=', roundId)
      .execute();
    const mail = MailService.fromConfig(t.storage, t.config, defaultFramework);
    const runner = createJobRunner(t.storage, { mail, pollMs: 50 });
    await runner.start();
    try {
      const due = await mail.organisationsWithWork('2027-03-30');
      expect(due).toHaveLength(1);
      const scope = t.storage.scope(due[0] ?? '', { userId: null, label: 'test' });
      await runner.enqueue(scope, 'mail.reminders', { today: '2027-03-30' });
      await runner.idle();
      expect(await mail.organisationsWithWork('2027-03-30')).toEqual([]);
    } finally {
      await runner.stop();
      mail.close();
    }
    const kept = await t.storage.db.kysely
      .selectFrom('mail_recipients')
      .select('email')
      .where('email', 'is not', null)
      .where('kind', '=', 'respondent')
      .execute();
    expect(kept).toEqual([]);
    const page = text((await lead.get(`/assessments/${roundId}/respondents`)).body);
    for (const gone of ['carol@example.org', 'erin@example.org', 'bob@example.org'])
      expect(page).not.toContain(gone);
  });
});

describe.each(testDatabases)('without email set up on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
  });
  afterAll(async () => {
    await t.close();
  });

  it('says links must be copied, refuses to send, and still makes links', async () => {
    const roundId = await createOpenRound(lead, 'Copy the links');
    const page = await lead.get(`/assessments/${roundId}/respondents`);
    expect(text(page.body)).toContain('Email is not set up on this service');
    expect(page.body).not.toContain('invite-email');
    const groups = groupIds(page.body);
    const refused = await lead.post(`/assessments/${roundId}/invite-email`, {
      _csrf: csrfTokenFrom(page.body),
      email: 'x@example.org',
      groupId: groups.Leadership ?? '',
    });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('make links below and copy them to people');
    const links = await lead.submit(
      `/assessments/${roundId}/respondents`,
      `/assessments/${roundId}/links`,
      { groupId: groups.Leadership ?? '', count: '2', label: '' },
    );
    expect(links.statusCode).toBe(200);
    expect([...links.body.matchAll(/\/respond\/[A-Za-z0-9_-]{20,}/g)].length).toBeGreaterThan(1);
    const admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    const invite = text((await admin.get('/organisation/invitations/new')).body);
    expect(invite).toContain('Email is not set up on this service');
    expect(invite).not.toContain('Send the invitation by email');
  });
});
