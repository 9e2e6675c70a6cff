import { parseCookie } from 'cookie';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RejectionReason, SessionRejectedError } from '../../src/errors.js';
import { Clock } from '../helpers/clock.js';
import { b64, headerOf } from '../helpers/forge.js';
import { makeStore } from '../helpers/store.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const store = makeStore({ advanced: { cacheSize: 0 } }, new Clock());
const cachedStore = makeStore({ advanced: { cacheSize: 100 } }, new Clock());
const DATA = { user: 'ada', roles: ['admin'], n: 1 };
let token: string;

beforeAll(async () => {
  token = await store.seal(DATA);
  // The cached store holds the same key and clock: prime its cache with the good token, so a
  // cache keyed on anything looser than the exact string would let a change through.
  expect(await cachedStore.unseal(token)).toEqual(DATA);
});

const reasons: RejectionReason[] = [
  'malformed',
  'tampered',
  'unknown-key',
  'expired',
  'not-yet-valid',
  'too-large',
];

async function expectRejected(changed: string): Promise<void> {
  expect(changed).not.toBe(token);
  for (const s of [store, cachedStore]) {
    const result = await s.unseal(changed);
    expect(result).toBeInstanceOf(SessionRejectedError);
    expect(reasons).toContain((result as SessionRejectedError).reason);
    // Through a Cookie header too, unless the header syntax itself undoes the change (the
    // cookie parser trims whitespace around a value, and stops at ';').
    if (parseCookie(`session=${changed}`).session === token) continue;
    const session = await s.load(`session=${changed}`);
    expect(session.isNew).toBe(true);
    expect(session.keys()).toEqual([]);
  }
}

function segments(t: string): string[] {
  return t.split('.');
}

describe('any change to a sealed token is rejected', () => {
  it('the untouched token opens (so rejections below are about the change)', async () => {
    expect(await store.unseal(token)).toEqual(DATA);
  });

  it('a changed character anywhere, in any segment (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 63 }), async (at, shift) => {
        const i = at % token.length;
        const c = token[i] as string;
        const replacement =
          c === '.' ? ALPHABET[shift] : ALPHABET[(ALPHABET.indexOf(c) + shift) % 64];
        await expectRejected(token.slice(0, i) + replacement + token.slice(i + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('a flipped bit in any decoded byte of any segment (property)', async () => {
    const parts = segments(token);
    const nonEmpty = [0, 2, 3, 4];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...nonEmpty),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (seg, at, bit) => {
          const bytes = Buffer.from(parts[seg] as string, 'base64url');
          const i = at % bytes.length;
          bytes[i] = (bytes[i] as number) ^ (1 << bit);
          const changed = [...parts];
          changed[seg] = bytes.toString('base64url');
          await expectRejected(changed.join('.'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every truncation', async () => {
    for (let n = 0; n < token.length; n++) await expectRejected(token.slice(0, n));
  });

  it('extension by anything (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 8 }), async (tail) => {
        await expectRejected(token + tail);
      }),
      { numRuns: 100 },
    );
  });

  it('inserted characters, including ones base64 decoders skip (=, whitespace)', async () => {
    for (const insert of ['=', '==', ' ', '\t', '\n', 'A', '.']) {
      for (const at of [0, 1, token.indexOf('.') + 2, token.lastIndexOf('.') - 1, token.length]) {
        await expectRejected(token.slice(0, at) + insert + token.slice(at));
      }
    }
  });

  it('every swap of two different segments', async () => {
    const parts = segments(token);
    for (let a = 0; a < 5; a++) {
      for (let b = a + 1; b < 5; b++) {
        if (parts[a] === parts[b]) continue;
        const swapped = [...parts];
        [swapped[a], swapped[b]] = [parts[b] as string, parts[a] as string];
        await expectRejected(swapped.join('.'));
      }
    }
  });

  it('segments taken from another token under the same key', async () => {
    const other = segments(await store.seal({ user: 'eve', roles: ['admin'], n: 1 }));
    const parts = segments(token);
    for (const seg of [2, 3, 4]) {
      const mixed = [...parts];
      mixed[seg] = other[seg] as string;
      await expectRejected(mixed.join('.'));
    }
  });

  it('a header rewritten to the same meaning (reordered, spaced, escaped)', async () => {
    const header = headerOf(token);
    const rewrites = [
      { kid: header.kid, enc: header.enc, alg: header.alg },
      `{"alg": "dir", "enc": "A256GCM", "kid": ${JSON.stringify(header.kid)}}`,
      `{"alg":"\\u0064ir","enc":"A256GCM","kid":${JSON.stringify(header.kid)}}`,
      `${JSON.stringify(header)} `,
    ];
    const parts = segments(token);
    for (const rewrite of rewrites) {
      const changed = [b64(rewrite), ...parts.slice(1)].join('.');
      await expectRejected(changed);
      expect(((await store.unseal(changed)) as SessionRejectedError).reason).toBe('tampered');
    }
  });

  it('a header rewritten to another window of the same key', async () => {
    const header = headerOf(token);
    const [id, window] = String(header.kid).split('.') as [string, string];
    const changed = [
      b64({ ...header, kid: `${id}.${Number(window) - 1}` }),
      ...segments(token).slice(1),
    ];
    const result = (await store.unseal(changed.join('.'))) as SessionRejectedError;
    expect(result.reason).toBe('tampered');
    expect(result.detail).toBe('decryption failed');
  });
});
