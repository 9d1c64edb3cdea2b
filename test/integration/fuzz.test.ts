// Issue 17, point 6: hostile requests generated from the route table. Every route that changes
// something (forms, uploads, the API) gets a bounded, seeded set of malformed and hostile requests —
// forged or missing CSRF tokens, wrong types, huge fields, 10,000-element arrays, broken UTF-8, NUL
// bytes, prototype-pollution keys, wrong content types, path tricks and another organisation's ids
// in the path and the body, and for uploads a gzip bomb and XML entity tricks. Every answer is a
// clear 4xx (never a 5xx, never a hang), and the database is unchanged after each route's cases.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { testDatabases } from '../helpers/databases.ts';
import { csrfTokenFrom, startTestApp, type Client, type TestApp } from '../helpers/app.ts';
import {
  buildIsolationFixture,
  changedTables,
  databaseDigest,
  fillRoute,
  paramKeys,
  type IsolationFixture,
} from '../helpers/isolation.ts';

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Routes whose forms carry nothing but the CSRF token (an action button), found by the verb that
 * ends their path or listed: with a valid token they act, which is their job, so they get only the
 * cases that must be refused — a missing or forged token, and path tricks in place of their ids.
 */
const ACTION_VERB =
  /\/(remove|delete|revoke|discard|end|close|stop|endorse|open|finalise|submit|confirm|join|withdraw|publish|unpublish|resend|sign-out|sign-out-everywhere)$/;
const ACTIONS: Readonly<Record<string, string>> = {
  'POST /logs/:id/chain': 'makes a chain from the log; every field has a default',
  'POST /themes/sets/:setId/analyses': 'starts an analysis; every field has a default',
  'POST /api/chains/:id/simulations': 'starts a simulation; every field has a default',
};

/**
 * Forms where any value, an empty one included, is a valid answer (a name, a note, a choice that
 * may be cleared), so a strange value is stored as typed: they may change data, never fail.
 */
const STORES_ANY_TEXT: Readonly<Record<string, string>> = {
  'POST /organisation/settings': 'the organisation’s name and sector',
  'POST /chains': 'a new chain’s name',
  'POST /chains/:id/outputs/new': 'an output’s name',
  'POST /chains/:id/interventions/:iid/typology': 'typology cells, which may all be cleared',
  'POST /themes/analyses/:analysisId/themes/:key/rename': 'a theme’s name',
  'POST /initiatives/:id/modelled-by': 'the chain modelling it, which may be cleared',
  'POST /sector/members/:id/peer-group': 'a peer group’s name',
  'POST /sector/memberships/:id/sharing': 'what is shared, which may be nothing',
};

/**
 * Left out of the digest taken around each route, for speed: comments, their themes and answers
 * change only with their parents (a set, an analysis, a response), whose rows are in the digest.
 */
const LARGE_TABLES: ReadonlySet<string> = new Set([
  'comments',
  'comment_assignments',
  'answers',
  'lessons_fts_data',
  'sector_exchange_fts_data',
]);

const viewsDir = path.resolve(import.meta.dirname, '..', '..', 'src', 'web', 'views');

function viewFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? viewFiles(path.join(dir, entry.name))
      : entry.name.endsWith('.njk')
        ? [path.join(dir, entry.name)]
        : [],
  );
}

/** Every field name the templates use, and the actions of the forms that upload files. */
function readViews(): { fields: string[]; uploads: RegExp[] } {
  const fields = new Set<string>(['name', 'title', 'email', 'role', 'level', 'id', 'file']);
  const uploads: RegExp[] = [];
  for (const file of viewFiles(viewsDir)) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/name(?::\s*|=)["']([A-Za-z_][A-Za-z0-9_.-]*)["']/g))
      if (m[1] && m[1] !== '_csrf') fields.add(m[1]);
    for (const m of source.matchAll(/<form[^>]*action="([^"]+)"[^>]*multipart\/form-data/g)) {
      const pattern = (m[1] ?? '')
        .split(/\{\{[^}]*\}\}/)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      uploads.push(new RegExp(`^${pattern}$`));
    }
  }
  return { fields: [...fields].sort(), uploads };
}

const PATH_TRICKS = [
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '..\\..\\windows',
  'x%00y',
  `${'a'.repeat(4000)}`,
  "1' OR '1'='1",
  '%F0%9F%92%A9',
  '%C0%AE%C0%AE%2F',
  '-1',
  '1e309',
];

// A billion-laughs document and an external entity, as an XES event log.
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE log [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<log xes.version="1.0"><trace><string key="concept:name" value="&lol9;"/>
<event><string key="concept:name" value="&lol9;"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event>
</trace></log>`;

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<log xes.version="1.0"><trace><string key="concept:name" value="&xxe;"/>
<event><string key="concept:name" value="&xxe;"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event>
</trace></log>`;

interface Sent {
  readonly label: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer;
  /** What a right answer is: a refused CSRF token (403), a refused token (401), or any 4xx. */
  readonly expect: 403 | 401 | '4xx';
}

function multipart(parts: readonly { name: string; value: string | Buffer; file?: string }[]): {
  body: Buffer;
  type: string;
} {
  const boundary = '----throughline-fuzz-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file
      ? `form-data; name="${part.name}"; filename="${part.file}"`
      : `form-data; name="${part.name}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${
          part.file ? 'Content-Type: application/octet-stream\r\n' : ''
        }\r\n`,
      ),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDatabases)('fuzz from the route table ($name)', (factory) => {
  let t: TestApp;
  let f: IsolationFixture;
  const views = readViews();
  // A gzip bomb: 64 MB of zeros in about 64 KB.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });

  beforeAll(async () => {
    t = await startTestApp(factory);
    f = await buildIsolationFixture(t);
    await t.jobs.idle();
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('every state-changing route answers hostile requests with a clear 4xx and changes nothing', async () => {
    const next = random(17);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const otherId = pick(f.otherIds);
    const failures: string[] = [];
    let cases = 0;
    let routes = 0;
    const counts = { refusedCsrf: 0, refusedToken: 0, uploads: 0, notRefused: 0 };
    const jobs: { id: string; label: string }[] = [];

    for (const route of t.app.routeTable) {
      if (route.method === 'GET') continue;
      routes += 1;
      const name = `${route.method} ${route.url}`;
      const isApi = route.url.startsWith('/api/');
      const params = paramKeys(route.url);
      const ownerId = f.params.get(params.at(-1)?.key ?? '')?.ownerId ?? f.councilId;
      const client: Client = await f.owner(ownerId);
      const token = await f.ownerToken(ownerId);
      const real = (key: string) => f.params.get(key)?.value ?? 'not-a-real-token-000000000000';
      const url = fillRoute(route.url, real);
      const isUpload = views.uploads.some((u) => u.test(fillRoute(route.url, () => 'x')));
      const csrf = csrfTokenFrom((await client.get('/account/password')).body);
      const cookie = ['tl_session', 'tl_csrf']
        .map((c) => `${c}=${encodeURIComponent(client.cookie(c) ?? '')}`)
        .join('; ');
      const auth: Record<string, string> = isApi
        ? { authorization: `Bearer ${token}` }
        : { cookie, accept: 'text/html' };
      const form = (fields: Record<string, string | string[]>, withCsrf: string | null) => {
        const body = new URLSearchParams();
        if (withCsrf !== null) body.append('_csrf', withCsrf);
        for (const [k, v] of Object.entries(fields))
          for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
        return body.toString();
      };
      const fieldsOf = (value: string | string[]) =>
        Object.fromEntries(views.fields.map((k) => [k, value]));
      const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };
      const json = { 'content-type': 'application/json' };
      const sends: Sent[] = [];
      const send = (label: string, rest: Omit<Sent, 'label' | 'method' | 'url'>, at = url) =>
        sends.push({ label, method: route.method, url: at, ...rest });

      // Refused before anything is read: no CSRF token, a forged one; no API token, a wrong one.
      if (isApi) {
        send('no token', { headers: json, payload: '{}', expect: 401 });
        send('forged token', {
          headers: { ...json, authorization: 'Bearer tl_pat_forged' },
          payload: '{}',
          expect: 401,
        });
      } else if (isUpload) {
        const file = multipart([{ name: 'file', value: 'case,activity\n', file: 'a.csv' }]);
        send('upload without CSRF', {
          headers: { ...auth, 'content-type': file.type },
          payload: file.body,
          expect: 403,
        });
        const forged = multipart([
          { name: '_csrf', value: 'forged-token' },
          { name: 'file', value: 'case,activity\n', file: 'a.csv' },
        ]);
        send('upload with forged CSRF', {
          headers: { ...auth, 'content-type': forged.type },
          payload: forged.body,
          expect: 403,
        });
      } else {
        send('no CSRF', {
          headers: { ...auth, ...urlencoded },
          payload: form({}, null),
          expect: 403,
        });
        send('forged CSRF', {
          headers: { ...auth, ...urlencoded },
          payload: form(fieldsOf('x'), 'forged-token'),
          expect: 403,
        });
        send('CSRF of another session', {
          headers: { ...auth, ...urlencoded },
          payload: form({}, csrfTokenFrom((await f.signedOut.get('/sign-in')).body)),
          expect: 403,
        });
      }

      // Path tricks and another organisation's id in place of each id.
      const valid = isApi
        ? { headers: { ...auth, ...json }, payload: '{}' }
        : { headers: { ...auth, ...urlencoded }, payload: form({}, csrf) };
      for (const trick of params.length > 0 ? [pick(PATH_TRICKS), pick(PATH_TRICKS), otherId] : [])
        send(
          `path ${trick.slice(0, 30)}`,
          { ...valid, expect: '4xx' },
          fillRoute(route.url, () => trick).replace(/%25/g, '%'),
        );

      // A DELETE acts on its path alone: a body is ignored, whatever it holds.
      const isAction =
        ACTIONS[name] !== undefined || ACTION_VERB.test(route.url) || route.method === 'DELETE';
      if (!isAction) {
        const bodies: [string, Record<string, string>, string | Buffer][] = isApi
          ? [
              [
                'wrong types',
                json,
                JSON.stringify(
                  Object.fromEntries(
                    views.fields.slice(0, 40).map((k, i) => [k, [i, { k }, null, true][i % 4]]),
                  ),
                ),
              ],
              [
                'huge field',
                json,
                JSON.stringify({ name: 'x'.repeat(900_000), title: 'x'.repeat(50_000) }),
              ],
              [
                '10k-element array',
                json,
                JSON.stringify({
                  stages: Array(10_000).fill({ id: 'a' }),
                  affects: Array(10_000).fill('staff'),
                  role: 'admin',
                }),
              ],
              [
                'prototype keys',
                json,
                '{"__proto__": {"admin": true}, "constructor": {"prototype": {"role": "admin"}}, "role": "admin"}',
              ],
              [
                'NUL bytes',
                json,
                JSON.stringify(
                  Object.fromEntries(views.fields.slice(0, 40).map((k) => [k, 'a\u0000b'])),
                ),
              ],
              [
                'broken UTF-8',
                json,
                Buffer.concat([
                  Buffer.from('{"name": "'),
                  Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
                  Buffer.from('"}'),
                ]),
              ],
              ['truncated JSON', json, '{"name": "'],
              [
                'another organisation’s ids',
                json,
                JSON.stringify({
                  chainId: otherId,
                  id: otherId,
                  stageId: otherId,
                  initiativeId: otherId,
                  organisationId: otherId,
                }),
              ],
              ['XML body', { 'content-type': 'application/xml' }, EXTERNAL_ENTITY],
            ]
          : [
              ['empty fields', urlencoded, form(fieldsOf(''), csrf)],
              ['wrong types (repeated fields)', urlencoded, form(fieldsOf(['1', '2']), csrf)],
              [
                'numbers out of range',
                urlencoded,
                form(
                  fieldsOf(pick(['1e309', '-1', 'NaN', '99999999999999999999999', '0x10'])),
                  csrf,
                ),
              ],
              ['NUL bytes', urlencoded, form(fieldsOf('a\u0000b'), csrf)],
              [
                'broken UTF-8',
                urlencoded,
                Buffer.concat([
                  Buffer.from(`_csrf=${encodeURIComponent(csrf)}&name=`),
                  Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
                  Buffer.from('&title=%E0%A4%A'),
                ]),
              ],
              [
                'prototype keys',
                urlencoded,
                `_csrf=${encodeURIComponent(csrf)}&__proto__[role]=admin&constructor[prototype][role]=admin&__proto__=x&role=__proto__`,
              ],
              ['huge field', urlencoded, form({ name: 'x'.repeat(60_000) }, csrf)],
              ['1 MB body', urlencoded, form({ name: 'x'.repeat(1024 * 1024) }, csrf)],
              [
                '10k repeated fields',
                urlencoded,
                `_csrf=${encodeURIComponent(csrf)}&${'name=x&'.repeat(10_000)}`,
              ],
              [
                'another organisation’s ids',
                urlencoded,
                form(
                  Object.fromEntries(views.fields.map((k) => [k, /id$/i.test(k) ? otherId : 'x'])),
                  csrf,
                ),
              ],
              [
                'JSON with typed values',
                json,
                JSON.stringify({
                  _csrf: csrf,
                  ...Object.fromEntries(
                    views.fields
                      .slice(0, 40)
                      .map((k, i) => [k, [i, { k }, null, true, ['a']][i % 5]]),
                  ),
                }),
              ],
              ['XML body', { 'content-type': 'text/xml' }, BILLION_LAUGHS],
            ];
        // A bounded, seeded choice of the hostile bodies for each route.
        const chosen = bodies.filter((_, i) => i < 2 || next() < 0.6);
        for (const [label, headers, payload] of chosen)
          send(`body: ${label}`, { headers: { ...auth, ...headers }, payload, expect: '4xx' });

        if (isUpload) {
          const file = (label: string, content: string | Buffer, fileName: string) => {
            const body = multipart([
              { name: '_csrf', value: csrf },
              { name: 'name', value: 'Fuzz' },
              { name: 'file', value: content, file: fileName },
            ]);
            counts.uploads += 1;
            send(`body: ${label}`, {
              headers: { ...auth, 'content-type': body.type },
              payload: body.body,
              expect: '4xx',
            });
          };
          file('gzip bomb', bomb, 'log.csv.gz');
          file('billion laughs', BILLION_LAUGHS, 'log.xes');
          file('external entity', EXTERNAL_ENTITY, 'log.xes');
          file(
            'binary garbage',
            Buffer.from(Array.from({ length: 4096 }, () => Math.floor(next() * 256))),
            'log.csv',
          );
          file('empty file', '', 'log.csv');
          send('body: broken multipart', {
            headers: { ...auth, 'content-type': 'multipart/form-data; boundary=nope' },
            payload: `--nope\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--nope\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ncase,activity`,
            expect: '4xx',
          });
        }
      }

      const before = await databaseDigest(t, undefined, LARGE_TABLES);
      for (const s of sends) {
        cases += 1;
        let response: LightMyRequestResponse | undefined;
        try {
          response = await t.app.inject({
            method: s.method as 'POST',
            url: s.url,
            headers: s.headers,
            ...(s.payload === undefined ? {} : { payload: s.payload }),
          });
        } catch (error) {
          failures.push(`${name} [${s.label}]: threw ${String(error)}`);
          continue;
        }
        const status = response.statusCode;
        // A hostile body may also be answered by the app's redirect back with a message, or a page
        // (a preview, a form again), so long as nothing changed: checked below.
        const right =
          s.expect === '4xx'
            ? status < 500 && (status >= 400 || s.label.startsWith('body:'))
            : status === s.expect;
        if (s.expect === '4xx' && status < 400) counts.notRefused += 1;
        const job = /^\/logs\/jobs\/([0-9a-f-]+)$/.exec(String(response.headers.location ?? ''));
        if (job?.[1]) jobs.push({ id: job[1], label: `${name} [${s.label}]` });
        if (s.expect === 403 && status === 403) counts.refusedCsrf += 1;
        if (s.expect === 401 && status === 401) counts.refusedToken += 1;
        if (!right)
          failures.push(
            `${name} [${s.label}]: ${status} ${String(response.headers.location ?? '')} ${response.body
              .replace(/\s+/g, ' ')
              .slice(0, 160)}`,
          );
      }
      await t.jobs.idle();
      // An upload is read by a background job: a hostile file may be queued, but its job must end
      // refused, with nothing imported.
      let allowed: readonly string[] = STORES_ANY_TEXT[name] === undefined ? [] : ['*'];
      for (const { id, label } of jobs.splice(0)) {
        const row = await t.storage.db.kysely
          .selectFrom('jobs')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        if (row.status !== 'failed') failures.push(`${label}: its job ended ${row.status}`);
        allowed = [...allowed, 'jobs', 'event_log_uploads'];
      }
      const changed = changedTables(
        before,
        await databaseDigest(t, undefined, LARGE_TABLES),
      ).filter((table) => !allowed.includes('*') && !allowed.includes(table));
      if (changed.length > 0) failures.push(`${name}: changed ${changed.join(', ')}`);
    }
    console.log(
      `fuzz (${factory.name}): ${cases} hostile requests over ${routes} state-changing routes (${counts.uploads} upload files); ${counts.refusedCsrf} refused for CSRF, ${counts.refusedToken} for the API token; ${counts.notRefused} hostile bodies answered by a redirect or page with nothing changed; ${failures.length} wrong`,
    );
    expect(failures).toEqual([]);
    expect(routes).toBeGreaterThan(100);
  }, 900_000);
});
