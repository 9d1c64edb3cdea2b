import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './delimiter.ts';

describe('detectDelimiter', () => {
  it('picks the separator the header line uses most', () => {
    expect(detectDelimiter('id,comment,channel')).toBe(',');
    expect(detectDelimiter('id;comment;channel')).toBe(';');
    expect(detectDelimiter('id\tcomment\tchannel')).toBe('\t');
    expect(detectDelimiter('id|comment|channel')).toBe('|');
  });

  it('is not misled by a column name holding a rarer separator', () => {
    expect(detectDelimiter('id;comment, in full;channel')).toBe(';');
  });

  it('settles a tie in the order comma, semicolon, tab, bar', () => {
    expect(detectDelimiter('a,b;c')).toBe(',');
    expect(detectDelimiter('a;b|c')).toBe(';');
  });

  it('falls back to a comma for a single column or an empty line', () => {
    expect(detectDelimiter('comment')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });
});
