import { describe, expect, it } from 'vitest';
import { newOrderedId } from './ids.ts';

describe('newOrderedId', () => {
  it('makes RFC 9562 version-7 UUIDs', () => {
    expect(newOrderedId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
  it('sorts in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newOrderedId(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const later = newOrderedId(1_800_000_000_500);
    expect(later > (ids.at(-1) ?? '')).toBe(true);
  });
  it('encodes the time in the first 48 bits', () => {
    const id = newOrderedId(Date.UTC(2030, 0, 1));
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
  });
});
