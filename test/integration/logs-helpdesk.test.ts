// Issue 13's acceptance for a ticketing process, through HTTP on every configured database: a
// helpdesk log (test/helpers/synthetic-logs.ts) where tickets close automatically exactly 15 days
// after the reply, uploaded through the web import. The log page must show the wait before
// "Closed" as a policy or timer wait with its evidence in plain words; name a capacity bottleneck
// only where the generated team is busy enough to queue (and say none is evident when it is idle);
// list every row the import set aside with its file line; and show times in the log's own +01:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import {
  HELPDESK_EMPTY_CASE_ID_LINES,
  HELPDESK_NO_TIMESTAMP_LINES,
  helpdeskCsv,
  type SynthLog,
} from '../helpers/synthetic-logs.ts';

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer }) {
  const boundary = `----throughline${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** The share of the generator's own waits before "Closed" within 15 minutes of 15 days, as shown. */
function fifteenDayShare(log: SynthLog): string {
  const closed = [...log.waits].filter(([k]) => k.endsWith('\u0000Closed')).map(([, ms]) => ms);
  const near = closed.filter((ms) => Math.abs(ms - 15 * 86_400_000) <= 15 * 60_000).length;
  return `${Math.round((100 * near) / closed.length)}% of the ${closed.length} waits before 'Closed' are exactly 15 days`;
}

describe.each(testDatabases)('the helpdesk acceptance (issue 13) on $name', (factory) => {
  let t: TestApp;
  let member: Client;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
  });
  afterAll(async () => {
    await t?.close();
  });

  function cookie(): string {
    return ['tl_session', 'tl_csrf']
      .map((name) => [name, member.cookie(name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  /** Uploads, maps the columns, runs the import job and returns the log page's URL. */
  async function importLog(name: string, csv: string): Promise<string> {
    const { body, contentType } = multipart(
      { _csrf: csrfTokenFrom((await member.get('/logs')).body), name },
      { name: 'helpdesk.csv', content: Buffer.from(csv) },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/logs/upload',
      headers: { cookie: cookie(), 'content-type': contentType, accept: 'text/html' },
      payload: body,
    });
    expect(res.statusCode).toBe(303);
    const mappingUrl = (res.headers.location as string).split('?')[0] as string;
    const mapping = await member.get(mappingUrl);
    const posted = await member.post(mappingUrl, {
      _csrf: csrfTokenFrom(mapping.body),
      name,
      caseId: 'case_id',
      activity: 'activity',
      timestamp: 'timestamp',
      lifecycle: '',
      resource: 'resource',
      group: '',
      startTimestamp: '',
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    expect(posted.statusCode).toBe(303);
    await t.jobs.idle();
    const done = await member.get(posted.headers.location as string);
    expect(done.statusCode).toBe(303);
    return done.headers.location as string;
  }

  it.each(['busy', 'idle'] as const)(
    'the %s team: the closure rule is a timer, the capacity bottleneck named only where replies queue, every set-aside row listed, times at +01:00',
    async (variant) => {
      const { csv, log } = helpdeskCsv(variant);
      const url = await importLog(`Helpdesk (${variant} team)`, csv);
      const page = await member.get(url);
      expect(page.statusCode).toBe(200);
      const words = text(page.body);

      // Every row set aside, with its file line.
      expect(words).toContain('Rows read 1,807 rows after the header');
      expect(words).toContain('Rows set aside 7 rows not used (listed below)');
      expect(words).toContain(
        `Set aside: an empty case id 3 rows, file lines ${HELPDESK_EMPTY_CASE_ID_LINES.join(', ')}`,
      );
      expect(words).toContain(
        `Set aside: no timestamp 4 rows, file lines ${HELPDESK_NO_TIMESTAMP_LINES.join(', ')}`,
      );
      expect(words).toContain('Every timestamp carried an offset, most often +01:00');

      // Times in the log's own offset: the first ticket was opened at 00:30 on 1 April in
      // London (23:30 UTC on 31 March).
      expect(words).toContain('Period 1 April 2024 at 12:30am to');
      expect(words).toContain('+01:00, the offset the log’s own timestamps carry');
      expect(words).not.toContain('31 March 2024');

      // The wait before "Closed": a policy or timer wait, with its evidence in plain words — the
      // share at exactly 15 days is the generator's own.
      const row =
        /Closed (?:Bottleneck )?policy or timer wait (\d+% of the .+?more staff would not shorten it\.)/.exec(
          words,
        );
      expect(row, 'the row for the wait before Closed').not.toBeNull();
      expect(row?.[1]).toContain(fifteenDayShare(log));
      expect(row?.[1]).toContain('not a queue: more staff would not shorten it.');
      expect(words).not.toMatch(/Bottleneck: Closed \(resource contention/);
      expect(words).not.toMatch(/Capacity bottleneck: Closed/);

      const json = JSON.parse((await member.get(`${url}/analysis.json`)).body) as {
        analysis: {
          bottleneck: { activity: string; kind: string } | null;
          capacityBottleneck: { activity: string } | null;
          waits: { activity: string; kind: string }[];
        };
      };
      expect(json.analysis.waits.find((w) => w.activity === 'Closed')?.kind).toBe('timer');
      if (variant === 'busy') {
        // Two agents at 97.5 % utilisation: replies queue, and that is the stage to relieve.
        expect(words).toContain('Bottleneck: Reply sent (resource contention)');
        expect(words).toMatch(
          /Capacity bottleneck: Reply sent \(the wait grows with the work waiting; \d+(\.\d)?% of case time\)/,
        );
        expect(words).toMatch(
          /Reply sent (?:Bottleneck )?resource contention The wait grows with the number of cases already waiting/,
        );
        expect(json.analysis.capacityBottleneck?.activity).toBe('Reply sent');
        expect(json.analysis.bottleneck).toMatchObject({
          activity: 'Reply sent',
          kind: 'contention',
        });
      } else {
        // Four agents with little to do: no wait grows with the queue, and the page says so.
        expect(words).toContain(
          'No capacity bottleneck: no long wait grows with the number of cases waiting, so more staff would not shorten the waits this log shows.',
        );
        expect(words).toContain(
          'Bottleneck: Closed (policy or timer wait, not a shortage of capacity)',
        );
        expect(words).not.toContain('Capacity bottleneck: ');
        expect(json.analysis.capacityBottleneck).toBeNull();
      }
    },
  );
});
