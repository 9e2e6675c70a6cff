// The token cache's bound and recency: it must never grow past its size, and a token in use
// must survive while others come and go.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CachedToken } from '../../src/codec/token-cache.js';
import { TokenCache } from '../../src/codec/token-cache.js';

const entry = (n: number): CachedToken => ({
  claims: { pur: 'session', iat: n, exp: n + 60, ori: n },
  keyId: 'k1',
  dataJson: `{"n":${n}}`,
  flashJson: undefined,
});

// A cache size, and a run of operations on it: [true, n] sets token n, [false, n] reads it.
const sizes = fc.integer({ min: 2, max: 40 });
const traffic = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 80 })), {
  maxLength: 400,
});

describe('TokenCache', () => {
  it('gives back what was set, and nothing for a token never set', () => {
    const cache = new TokenCache(10);
    cache.set('a', entry(1));
    expect(cache.get('a')).toEqual(entry(1));
    expect(cache.get('b')).toBeUndefined();
  });

  it('serves only the exact token: one that shares the tag (last segment) of a cached one is a miss', () => {
    const cache = new TokenCache(10);
    const token = 'aGVhZGVy..aXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWctdGFn';
    cache.set(token, entry(1));
    expect(cache.get(`${token}`)).toEqual(entry(1));
    for (const other of [
      token.replace('Y2lwaGVydGV4dA', 'Y2lwaGVydGV4dB'),
      `x${token}`,
      token.replace('..', '.AAAA.'),
      'dGFnLXRhZy10YWctdGFn',
      '.dGFnLXRhZy10YWctdGFn',
    ]) {
      expect(cache.get(other)).toBeUndefined();
    }
    // And a miss leaves the cached token where it was.
    expect(cache.get(token)).toEqual(entry(1));
  });

  it('never holds more than its size, whatever the traffic', () => {
    fc.assert(
      fc.property(sizes, traffic, (max, operations) => {
        const cache = new TokenCache(max);
        for (const [isSet, n] of operations) {
          if (isSet) cache.set(`t${n}`, entry(n));
          else cache.get(`t${n}`);
          expect(cache.size).toBeLessThanOrEqual(max);
        }
      }),
    );
  });

  it('keeps the last size/2 tokens set or read, however many others were set since', () => {
    fc.assert(
      fc.property(sizes, traffic, (max, operations) => {
        const cache = new TokenCache(max);
        const used: string[] = [];
        for (const [isSet, n] of operations) {
          const token = `t${n}`;
          if (isSet) cache.set(token, entry(n));
          else if (!cache.get(token)) continue;
          used.push(token);
        }
        const recent = [...new Set(used.reverse())].slice(0, Math.floor(max / 2));
        for (const token of recent) expect(cache.get(token)).toBeDefined();
      }),
    );
  });

  it('a token read often outlives tokens set once', () => {
    const cache = new TokenCache(4);
    cache.set('hot', entry(0));
    for (let n = 1; n <= 100; n++) {
      cache.set(`cold${n}`, entry(n));
      expect(cache.get('hot')).toBeDefined();
    }
    expect(cache.get('cold1')).toBeUndefined();
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});
