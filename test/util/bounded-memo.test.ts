import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/util/bounded-memo.js';

describe('BoundedMemo', () => {
  it('gives back what was set, for keys that recur', () => {
    const memo = new BoundedMemo<string, number>(4);
    memo.set('a', 1);
    memo.set('b', 2);
    expect(memo.get('a')).toBe(1);
    expect(memo.get('b')).toBe(2);
    expect(memo.get('c')).toBeUndefined();
    expect(memo.size).toBe(2);
  });

  it('never holds more than its bound, however many distinct keys come', () => {
    const memo = new BoundedMemo<string, number>(64);
    let most = 0;
    for (let i = 0; i < 10_000; i++) {
      memo.set(`header-${i}`, i);
      most = Math.max(most, memo.size);
      // What was just set is there, so a recurring key is computed once per fill.
      expect(memo.get(`header-${i}`)).toBe(i);
    }
    expect(most).toBe(64);
  });
});
