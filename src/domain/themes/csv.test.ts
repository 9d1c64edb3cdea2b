import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseSimpleCsv } from './csv.ts';
import { seededRandom } from './rng.ts';

const fixture = fileURLToPath(
  new URL('../../../test/fixtures/comments/council-comments.csv', import.meta.url),
);

/** What csv-parse reads, with the options of import.ts, as header, records and lines. */
function reference(text: string, delimiter: string) {
  let header: string[] = [];
  const entries = parse(text, {
    bom: true,
    delimiter,
    columns: (names: string[]) => (header = names.map((h) => h.trim())),
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as { record: Record<string, string>; info: { lines: number } }[];
  return {
    header,
    records: entries.map((e) => header.map((h) => e.record[h] ?? '')),
    lines: entries.map((e) => e.info.lines),
  };
}

describe('parseSimpleCsv', () => {
  it('reads a real comment file exactly as csv-parse does', () => {
    const text = readFileSync(fixture, 'utf8');
    const fast = parseSimpleCsv(text, ',', 1_000_000);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(reference(text, ','));
  });

  it('reads quotes, doubled quotes, line ends inside quotes, CRLF and empty lines', () => {
    const lf = 'id,text\n1,"a, b"\n\n2,"say ""hi""\nthere"\n3,\n';
    expect(parseSimpleCsv(lf, ',', 1000)).toEqual(reference(lf, ','));
    const crlf = 'id,text\r\n1,"a, b"\r\n\r\n2,"say ""hi"" there"\r\n3,\r\n';
    expect(parseSimpleCsv(crlf, ',', 1000)).toEqual(reference(crlf, ','));
    // Line ends of either kind inside quotes, which csv-parse counts one line per CR and per LF.
    const inside = 'id,text\r\n1,"a\nb"\r\n2,"c\r\nd\re"\r\n3,f\r\n';
    expect(parseSimpleCsv(inside, ',', 1000)).toEqual(reference(inside, ','));
    const insideLf = 'id,text\n1,"a\r\nb"\n2,g\n';
    expect(parseSimpleCsv(insideLf, ',', 1000)).toEqual(reference(insideLf, ','));
    const semicolons = 'id;text\n1;"x;y"\n2;z';
    expect(parseSimpleCsv(semicolons, ';', 1000)).toEqual(reference(semicolons, ';'));
  });

  it('leaves to csv-parse what it does not read exactly like it', () => {
    for (const text of [
      'id,text\n1,a"b\n', // a quote inside an unquoted field
      'id,text\n1,"a" b\n', // text after a closing quote
      'id,text\n1,"open\n', // an unclosed quote
      'id,text\r1,a\r', // bare CR line ends
      'id,text\r\n1,a\n2,b\r\n', // mixed line ends
      'id,text\n1\n', // too few fields
      'id,text\n1,a,b\n', // too many fields
      'a,a\n1,2\n', // a repeated column name
      '\uFEFFid,text\n1,a\n', // a byte-order mark left in the text
      'id,text\n1,abcdefghijk\n', // a field over the limit
    ]) {
      expect(parseSimpleCsv(text, ',', 10), text).toBeNull();
    }
  });

  it('agrees with csv-parse on every random file it accepts', () => {
    const random = seededRandom(7);
    const pieces = ['a', 'b c', ',', '"', '""', '\n', '\r\n', '\r', ' ', 'é', ';', '\n\n'];
    let accepted = 0;
    for (let trial = 0; trial < 5000; trial++) {
      let text = random() < 0.5 ? 'h1,h2\n' : 'h1,h2\r\n';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const fast = parseSimpleCsv(text, ',', 1000);
      if (fast === null) continue;
      accepted++;
      let expected: ReturnType<typeof reference> | undefined;
      try {
        expected = reference(text, ',');
      } catch {
        expected = undefined;
      }
      expect(fast, JSON.stringify(text)).toEqual(expected);
    }
    expect(accepted).toBeGreaterThan(50);
  });
});
