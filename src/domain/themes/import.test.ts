import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CommentImportError,
  readComments,
  streamComments,
  type ImportedComment,
} from './import.ts';
import { setAsideReasons, setAsideTracker } from './setaside.ts';

const fixture = fileURLToPath(
  new URL('../../../test/fixtures/comments/council-comments.csv', import.meta.url),
);

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

describe('readComments from CSV', () => {
  it('reads the mapped columns of every row, streamed from a file', async () => {
    const result = await readComments(createReadStream(fixture, { highWaterMark: 256 }), {
      format: 'csv',
      columns: { text: 'comment', date: 'submitted', channel: 'channel', area: 'ward' },
    });
    expect(result.columns).toEqual(['comment', 'submitted', 'channel', 'ward']);
    expect(result.comments).toHaveLength(51);
    expect(result.comments[0]).toMatchObject({
      line: 2,
      date: '2025-01-06',
      channel: 'online form',
      area: 'North',
    });
    expect(result.counts).toEqual({ rows: 51, blank: 1, duplicate: 1 });
    expect(result.setAside[48]).toBe('blank');
    expect(result.setAside[49]).toBe('duplicate');
  });

  it('handles quoted fields with commas, new lines and a semicolon delimiter', async () => {
    const result = await readComments(chunks('id;text\n1;"bins, again"\n2;"two\nlines"\n'), {
      format: 'csv',
      columns: { text: 'text' },
    });
    expect(result.comments.map((c) => c.text)).toEqual(['bins, again', 'two\nlines']);
    expect(result.comments.map((c) => c.line)).toEqual([2, 4]);
  });

  it('names the missing column and lists those present', async () => {
    await expect(
      readComments(chunks('comment,date\nhello,2025-01-01\n'), {
        format: 'csv',
        columns: { text: 'text' },
      }),
    ).rejects.toThrow('line 1: no column named "text"; the columns are: comment, date');
  });

  it('names the line of invalid UTF-8 and refuses UTF-16', async () => {
    const latin1 = Uint8Array.from([...new TextEncoder().encode('text\nok\ncaf'), 0xe9, 10]);
    await expect(
      readComments(chunks(latin1), { format: 'csv', columns: { text: 'text' } }),
    ).rejects.toThrow(/^line 3: the text is not valid UTF-8/);
    const utf16 = Uint8Array.from([0xff, 0xfe, 0x74, 0x00]);
    await expect(
      readComments(chunks(utf16), { format: 'csv', columns: { text: 'text' } }),
    ).rejects.toThrow(/UTF-16/);
  });

  it('stops at a single enormous field (an unclosed quote) with its line', async () => {
    const error = await readComments(
      chunks('text\nfine\n"never closed ' + 'x'.repeat(5000) + '\n'),
      {
        format: 'csv',
        columns: { text: 'text' },
        maxFieldBytes: 1000,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommentImportError);
    expect((error as CommentImportError).message).toMatch(
      /^line 3: a field is larger than the limit/,
    );
  });

  it('names the line of a malformed quote', async () => {
    await expect(
      readComments(chunks('text,date\nok,1\n"bad"quote,2\n'), {
        format: 'csv',
        columns: { text: 'text' },
      }),
    ).rejects.toThrow(/^line 3: /);
  });

  it('refuses an empty file and a file with more comments than allowed', async () => {
    await expect(
      readComments(chunks(''), { format: 'csv', columns: { text: 'text' } }),
    ).rejects.toThrow('the file is empty');
    await expect(
      readComments(chunks('text\na\nb\nc\n'), {
        format: 'csv',
        columns: { text: 'text' },
        maxComments: 2,
      }),
    ).rejects.toThrow(/^line 4: more than 2 comments/);
  });
});

describe('readComments from plain text', () => {
  it('reads one comment per line, with Windows line ends, counting blanks and duplicates', async () => {
    const result = await readComments(
      chunks('Bins late\r\n\r\nbins   LATE\r\nPotholes', ' everywhere\n'),
      {
        format: 'text',
      },
    );
    expect(result.comments.map((c) => c.text)).toEqual([
      'Bins late',
      '',
      'bins   LATE',
      'Potholes everywhere',
    ]);
    expect(result.setAside).toEqual([null, 'blank', 'duplicate', null]);
    expect(result.counts).toEqual({ rows: 4, blank: 1, duplicate: 1 });
  });
});

describe('readComments names the line of invalid UTF-8', () => {
  it('however the file is cut into chunks, with accented and curly characters before the bad byte', async () => {
    const good = 'comment\n' + 'Caf\u00e9 closed \u2019again\u2019 \u2014 na\u00efve\n'.repeat(300);
    const bytes = Buffer.concat([
      Buffer.from(good),
      Buffer.from([0x42, 0x61, 0x64, 0xff, 0x0a]), // line 302: "Bad" and a byte that is not UTF-8
      Buffer.from('fine\n'),
    ]);
    for (const size of [7, 1000, 4096, 65_536, bytes.length]) {
      const pieces = async function* () {
        for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
      };
      await expect(
        readComments(pieces(), { format: 'csv', columns: { text: 'comment' } }),
        `chunks of ${size} bytes`,
      ).rejects.toThrow(/^line 302: the text is not valid UTF-8/);
    }
    // A character cut by a bad byte: the line it starts on.
    const cut = Buffer.concat([
      Buffer.from('comment\nok\n'),
      Buffer.from([0xc3, 0x0a]),
      Buffer.from('x\n'),
    ]);
    await expect(
      readComments(chunks(cut), { format: 'csv', columns: { text: 'comment' } }),
    ).rejects.toThrow(/^line 3: /);
  });
});

describe('streamComments', () => {
  /** Everything streamComments hands on, with its set-aside reason, in order. */
  async function streamed(
    source: AsyncIterable<Uint8Array>,
    options: Parameters<typeof streamComments>[1],
    wait = false,
  ) {
    const got: { comment: ImportedComment; reason: string | null }[] = [];
    const result = await streamComments(source, options, (comment, reason) => {
      got.push({ comment, reason });
      // A receiver that stores as it goes: reading waits for it.
      return wait ? new Promise((resolve) => setImmediate(resolve)) : undefined;
    });
    return { ...result, got };
  }

  it('hands on every comment with the reason and counts readComments gives, keeping none', async () => {
    const options = {
      format: 'csv' as const,
      columns: { text: 'comment', date: 'submitted', channel: 'channel', area: 'ward' },
    };
    const whole = await readComments(createReadStream(fixture, { highWaterMark: 256 }), options);
    for (const wait of [false, true]) {
      const result = await streamed(
        createReadStream(fixture, { highWaterMark: 256 }),
        options,
        wait,
      );
      expect(result.counts).toEqual(whole.counts);
      expect(result.columns).toEqual(whole.columns);
      expect(result.got.map((g) => g.comment)).toEqual(whole.comments);
      expect(result.got.map((g) => g.reason)).toEqual(whole.setAside);
    }
  });

  // A 9 MB file on a shared two-core machine: it has its own timeout, like the other big imports.
  it('reads a file too large for the fast reader the same way, waiting for a slow receiver', async () => {
    // About 9 MB: past the size the fast reader takes whole, so csv-parse streams it.
    const rows: string[] = ['id,comment'];
    for (let i = 0; i < 90_000; i++) {
      const subject = i >= 40_000 ? 'THE RECYCLING' : 'the recycling';
      rows.push(
        `${i},"Comment ${i % 40_000}: ${subject}   rules, which bins, which days, which boxes, which streets"`,
      );
    }
    rows.push('90000,"   "');
    const file = new TextEncoder().encode(rows.join('\n') + '\n');
    const pieces = async function* () {
      for (let at = 0; at < file.length; at += 64 * 1024) yield file.subarray(at, at + 64 * 1024);
    };
    const options = { format: 'csv' as const, columns: { text: 'comment' } };
    const whole = await readComments(pieces(), options);
    const result = await streamed(pieces(), options, true);
    expect(result.counts).toEqual(whole.counts);
    expect(result.counts.rows).toBe(90_001);
    expect(result.counts.blank).toBe(1);
    expect(result.counts.duplicate).toBe(50_000);
    expect(file.length).toBeGreaterThan(8_000_000);
    expect(result.got.map((g) => g.reason)).toEqual(whole.setAside);
    expect(result.got.map((g) => g.comment.line)).toEqual(whole.comments.map((c) => c.line));
  }, 60_000);

  it('reads plain text one line at a time, and fails with the line as readComments does', async () => {
    const text = 'Bins late\r\n\r\nbins   LATE\r\nPotholes everywhere\n';
    const result = await streamed(chunks(text), { format: 'text' }, true);
    expect(result.got.map((g) => g.reason)).toEqual([null, 'blank', 'duplicate', null]);
    expect(result.counts).toEqual({ rows: 4, blank: 1, duplicate: 1 });
    const bad = chunks('fine\nalso fine\n', new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x0a]));
    const handed: number[] = [];
    const error = await streamComments(bad, { format: 'text' }, (c) => {
      handed.push(c.line);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommentImportError);
    expect((error as Error).message).toMatch(/^line 3: the text is not valid UTF-8/);
    // What was handed on before the error is the receiver's to undo.
    expect(handed).toEqual([1, 2]);
  });
});

describe('setAsideTracker', () => {
  it('decides one comment at a time exactly as setAsideReasons decides for the whole list', () => {
    const texts = [
      'Bins late',
      '  bins   LATE ',
      'BINS LATE',
      '',
      '   ',
      '—',
      '42',
      '42',
      'Ｂｉｎｓ late', // full-width letters fold (NFKC) to the first comment
      'Don\u2019t collect',
      "don't collect",
      'Potholes\teverywhere',
      'potholes everywhere',
      'Café',
      'cafe',
    ];
    const decide = setAsideTracker();
    expect(texts.map((t) => decide(t))).toEqual(setAsideReasons(texts.map((text) => ({ text }))));
    expect(texts.map((t) => setAsideTracker()(t))).toEqual(
      texts.map((t) => (setAsideReasons([{ text: t }])[0] === 'blank' ? 'blank' : null)),
    );
  });
});
