// The import form's multipart reader against bodies made by the platform's own FormData encoder
// (as a browser sends them) and against malformed ones.
import { describe, expect, it } from 'vitest';
import { boundaryOf, parseMultipart } from './multipart.ts';

async function encode(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    body: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '',
  };
}

describe('parseMultipart', () => {
  it('reads fields and files exactly, whatever they contain', async () => {
    const form = new FormData();
    form.append('_csrf', 'token-123');
    form.append('json', '{"a":"x"}');
    form.append('text', 'line one\r\n--not a boundary\r\nend — with “quotes” and £');
    form.append('file', new Blob(['{"b": 2}\r\n']), 'chain "one".json');
    form.append('empty', new Blob([]), '');
    const { body, contentType } = await encode(form);
    const boundary = boundaryOf(contentType);
    expect(boundary).toBeDefined();
    const fields = parseMultipart(body, boundary ?? '');
    const get = (name: string) => fields.find((f) => f.name === name);
    expect(get('_csrf')?.value.toString()).toBe('token-123');
    expect(get('json')?.value.toString()).toBe('{"a":"x"}');
    expect(get('text')?.value.toString()).toBe(
      'line one\r\n--not a boundary\r\nend — with “quotes” and £',
    );
    expect(get('file')?.fileName).toBe('chain "one".json');
    expect(get('file')?.value.toString()).toBe('{"b": 2}\r\n');
    expect(get('empty')?.value.length).toBe(0);
  });

  it('reads quoted boundaries and refuses malformed bodies', () => {
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
    const body = Buffer.from(
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    );
    expect(parseMultipart(body, 'x')).toEqual([{ name: 'a', value: Buffer.from('1') }]);
    // A browser's file input with no file chosen: an empty file with an empty name.
    const noFile = Buffer.from(
      '--x\r\nContent-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--x--\r\n',
    );
    expect(parseMultipart(noFile, 'x')).toEqual([
      { name: 'file', fileName: '', value: Buffer.alloc(0) },
    ]);
    expect(() => parseMultipart(Buffer.from('nothing here'), 'x')).toThrow();
    expect(() =>
      parseMultipart(Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'), 'x'),
    ).toThrow();
    expect(() => parseMultipart(Buffer.from('--xjunk'), 'x')).toThrow();
  });
});
