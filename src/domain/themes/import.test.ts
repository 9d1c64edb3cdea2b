import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CommentImportError, readComments } from './import.ts';

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
