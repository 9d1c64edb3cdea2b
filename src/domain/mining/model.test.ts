import { describe, expect, it } from 'vitest';
import { Interner } from './model.ts';

describe('Interner', () => {
  it('numbers values in order of first appearance, in place or as strings', () => {
    const interner = new Interner();
    const text = 'x,Review,Approve,Review,Rev,Review again,';
    expect(interner.internRange(text, 2, 8)).toBe(0); // Review
    expect(interner.internRange(text, 9, 16)).toBe(1); // Approve
    expect(interner.internRange(text, 17, 23)).toBe(0); // Review again
    expect(interner.internRange(text, 24, 27)).toBe(2); // Rev: a prefix of a known value
    expect(interner.intern('Review again')).toBe(3);
    expect(interner.intern('')).toBe(4);
    expect(interner.intern('Approve')).toBe(1);
    expect(interner.names).toEqual(['Review', 'Approve', 'Rev', 'Review again', '']);
  });

  it('keeps numbering exactly when there are too many values for its trie, and for non-ASCII', () => {
    const interner = new Interner();
    const values = Array.from({ length: 20_000 }, (_, i) => `case-${i}-${(i * 37) % 1000}`);
    values.push('Prüfung', 'Prüfung der Unterlagen', '審査', 'case-1');
    const first = values.map((v) => interner.intern(v));
    const again = values.map((v) => interner.internRange(`,,${v},`, 2, 2 + v.length));
    expect(again).toEqual(first);
    expect(interner.names.length).toBe(new Set(values).size);
    expect(interner.names[interner.intern('審査')]).toBe('審査');
  });
});
