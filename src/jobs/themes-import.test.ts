// Storing an uploaded comment file in batches (the themes.import job's work) against a real
// temporary SQLite database: the set becomes ready with the counts and set-aside rows of reading the
// file whole; a file that fails deep inside, after batches were written, leaves nothing behind and
// keeps its file; rows left by an interrupted import are removed first; a ready set is never touched.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readComments } from '../domain/themes/index.ts';
import type { Db, OrgScope } from '../storage/index.ts';
import { testScope, type TestScope } from '../../test/helpers/scope.ts';
import { importComments, pendingContent } from './themes-import.ts';
import { JobFailure } from './types.ts';

let t: TestScope;
let db: Db;
let scope: OrgScope;

beforeEach(async () => {
  t = await testScope();
  ({ db, scope } = t);
});

afterEach(() => t.close());

/** A CSV of `rows` comments, with repeats (in other cases and spacing) and blanks among them. */
function csv(rows: number, extra = ''): Buffer {
  const lines = ['id,comment,channel'];
  for (let i = 1; i <= rows; i++) {
    const text =
      i % 97 === 0
        ? '  '
        : i % 5 === 0
          ? `THE BIN  on street ${i % 400} was not emptied`
          : `The bin on street ${i % 1000} was not emptied, ref ${i % 3 === 0 ? i : 1}; reported through the council's website form`;
    lines.push(`${i},"${text}",${i % 2 === 0 ? 'web' : 'phone'}`);
  }
  return Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from(extra)]);
}

/** Keeps a file in a new set as the upload does: gzip-compressed, in chunks. */
async function keep(content: Buffer): Promise<string> {
  const packed = gzipSync(content);
  const pieces: Buffer[] = [];
  for (let at = 0; at < packed.length; at += 16 * 1024)
    pieces.push(packed.subarray(at, at + 16 * 1024));
  return scope.themes.createPendingSet({
    name: 'Survey',
    fileName: 'survey.csv',
    format: 'csv',
    columns: ['id', 'comment', 'channel'],
    compressedChunks: Readable.from(pieces),
  });
}

const stored = async (setId: string) =>
  db.kysely
    .selectFrom('comments')
    .select(['position', 'line', 'text', 'channel', 'set_aside'])
    .where('set_id', '=', setId)
    .orderBy('position')
    .execute();

const storedFile = async (setId: string) =>
  db.kysely
    .selectFrom('comment_set_files')
    .select(['seq', 'data'])
    .where('set_id', '=', setId)
    .orderBy('seq')
    .execute();

describe('importComments', () => {
  it('stores every comment in batches, with the counts and set-aside rows of reading the file whole', async () => {
    const content = csv(9_000);
    const setId = await keep(content);
    const file = await scope.themes.pendingFile(setId);
    if (!file) throw new Error('the file was not kept');
    expect(file.compressed).toBe(true);
    // The file reads back exactly as it was kept.
    const back: Buffer[] = [];
    for await (const chunk of pendingContent(file)) back.push(chunk);
    expect(Buffer.concat(back).equals(content)).toBe(true);

    const mapping = { text: 'comment', channel: 'channel' };
    const reports: { fraction: number; stored: number }[] = [];
    const counts = await importComments(scope, { setId, mapping }, (fraction, n) =>
      reports.push({ fraction, stored: n }),
    );
    const whole = await readComments(Readable.from([content]), { format: 'csv', columns: mapping });
    expect(counts).toEqual(whole.counts);
    expect(counts.blank).toBeGreaterThan(50);
    expect(counts.duplicate).toBeGreaterThan(1_000);
    // Written a batch at a time, with progress through the file up to the end.
    expect(reports.map((r) => r.stored)).toEqual([5000, 9000]);
    expect(reports.at(-1)?.fraction).toBe(1);
    const rows = await stored(setId);
    expect(rows.map((r) => r.set_aside)).toEqual(whole.setAside);
    expect(rows.map((r) => r.line)).toEqual(whole.comments.map((c) => c.line));
    expect(rows.map((r) => r.text)).toEqual(whole.comments.map((c) => c.text));
    expect(rows.map((r) => r.channel)).toEqual(whole.comments.map((c) => c.channel ?? null));
    const set = await scope.themes.set(setId);
    expect(set).toMatchObject({
      status: 'ready',
      pending: false,
      commentCount: whole.counts.rows,
      blankCount: whole.counts.blank,
      duplicateCount: whole.counts.duplicate,
      mapping,
    });
    expect(await storedFile(setId)).toHaveLength(0);
    // Imported once: a second run finds no file and changes nothing.
    await expect(importComments(scope, { setId, mapping })).rejects.toThrow(JobFailure);
    expect(await stored(setId)).toHaveLength(9_000);
  });

  // 90,000 rows streamed and stored before the bad one: seconds on a busy machine, hence its own limit.
  it('leaves nothing behind when a row deep in the file cannot be read after batches were written', async () => {
    // About 9 MB, so it is read as a stream (a smaller file is read whole before any row is handed
    // on), with an over-long field in its last rows.
    const content = csv(90_000, `90001,"${'x'.repeat(150_000)}",web\n90002,fine,web\n`);
    expect(content.length).toBeGreaterThan(8_000_000);
    const setId = await keep(content);
    const before = await storedFile(setId);
    const reports: number[] = [];
    const error = await importComments(scope, { setId, mapping: { text: 'comment' } }, (_f, n) =>
      reports.push(n),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect((error as Error).message).toBe(
      'The file could not be read. Line 90002: a field is larger than the limit; is a closing quote missing?',
    );
    // Batches had been written before the bad row was reached …
    expect(reports.length).toBe(18);
    expect(reports.at(-1)).toBe(90_000);
    // … and were removed: the set is as it was, waiting, with its file.
    expect(await stored(setId)).toHaveLength(0);
    expect(await scope.themes.set(setId)).toMatchObject({
      status: 'awaiting_mapping',
      pending: true,
      commentCount: 0,
      mapping: null,
    });
    expect(await storedFile(setId)).toEqual(before);
    const audit = await db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', setId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['comments.uploaded']);
  }, 30_000);

  it('stops between batches when asked to, removing what it wrote', async () => {
    const setId = await keep(csv(9_000));
    const controller = new AbortController();
    const error = await importComments(
      scope,
      { setId, mapping: { text: 'comment' } },
      (_f, n) => {
        if (n >= 5000) controller.abort();
      },
      controller.signal,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await stored(setId)).toHaveLength(0);
    expect((await scope.themes.set(setId))?.status).toBe('awaiting_mapping');
  });

  it('removes rows an interrupted import left before storing the file again', async () => {
    const setId = await keep(csv(3_000));
    await scope.themes.stageComments(setId, [
      { position: 0, comment: { line: 2, text: 'left behind' }, setAside: null },
      { position: 5_000, comment: { line: 9, text: 'left behind too' }, setAside: null },
    ]);
    const counts = await importComments(scope, { setId, mapping: { text: 'comment' } });
    expect(counts.rows).toBe(3_000);
    const rows = await stored(setId);
    expect(rows).toHaveLength(3_000);
    expect(rows.some((r) => r.text.startsWith('left behind'))).toBe(false);
  });

  it('refuses a column with no comment in it, storing nothing', async () => {
    const setId = await keep(Buffer.from('id,comment,channel\n1,"  ",web\n2,,phone\n'));
    await expect(importComments(scope, { setId, mapping: { text: 'comment' } })).rejects.toThrow(
      'The column “comment” has no comments in it',
    );
    expect(await stored(setId)).toHaveLength(0);
    expect((await scope.themes.set(setId))?.pending).toBe(true);
  });

  it('imports a file kept whole by an older version (gzip and base64 in the set itself)', async () => {
    const content = csv(1_500);
    const setId = await keep(Buffer.from('id,comment,channel\n'));
    await db.kysely.deleteFrom('comment_set_files').where('set_id', '=', setId).execute();
    await db.kysely
      .updateTable('comment_sets')
      .set({ pending_file: `gzip+base64:${gzipSync(content).toString('base64')}` })
      .where('id', '=', setId)
      .execute();
    const counts = await importComments(scope, { setId, mapping: { text: 'comment' } });
    expect(counts.rows).toBe(1_500);
    expect((await scope.themes.set(setId))?.pending).toBe(false);
  });

  it('never removes the comments of a set that is ready', async () => {
    const setId = await keep(csv(100));
    await importComments(scope, { setId, mapping: { text: 'comment' } });
    expect(await scope.themes.clearStagedComments(setId)).toBe(0);
    expect(await stored(setId)).toHaveLength(100);
  });
});
