// Plaintexts another implementation of FORMAT.md may write: it says readers must not depend on
// member order, and JSON allows a member to be repeated. Sealed here under the real key (so
// they are authentic), each must open to what JSON.parse reads from the plaintext (a repeated
// member counts as its last occurrence), on its first read and on every cached read after it,
// and never throw (issue 23: a member after "d" broke every cached read with a SyntaxError).
import fc from 'fast-check';
import { compactDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Session, SessionStore } from '../../src/index.js';
import { forge, keyEntry, makeStore, NOW, WINDOW } from './support.js';

const decoder = new TextDecoder();

const CLAIMS = `"pur":"session","iat":${NOW},"exp":${NOW + 3600},"ori":${NOW}`;

const ESCAPED_D = '"\\u0064":{"user":"last"}';
const ESCAPES = `${JSON.stringify({ '"': '\\[]:' })},"x":${JSON.stringify([['{"d', ']'], ''])}`;

// Each is the whole plaintext; its data is what JSON.parse reads as "d".
const LAYOUTS: Record<string, string> = {
  'a member after "d"': `{${CLAIMS},"d":{"user":"u1"},"x":2}`,
  'an object member after "d"': `{${CLAIMS},"d":{"user":"u1"},"x":{"y":{}}}`,
  'a claim repeated after "d"': `{${CLAIMS},"d":{"user":"u1"},"iat":${NOW}}`,
  '"d" twice': `{${CLAIMS},"d":{"user":"first"},"d":{"user":"last"}}`,
  '"d" twice, the second spelled with an escape': `{${CLAIMS},"d":{"user":"first"},${ESCAPED_D}}`,
  '"d" twice, the first not an object': `{${CLAIMS},"d":"first","d":{"user":"last"}}`,
  '"d" twice, the first a string of braces': `{${CLAIMS},"d":"}{","d":{"user":"last"}}`,
  '"d" twice, identical': `{${CLAIMS},"d":{"user":"u1"},"d":{"user":"u1"}}`,
  '"d" twice, each with a nested "d"': `{${CLAIMS},"d":{"d":{"d":1}},"d":{"d":{"d":2}}}`,
  // A reader taking every quote for the end of a string would find its brackets balanced.
  'a member after data whose strings hold escaped quotes': `{${CLAIMS},"d":${ESCAPES}}`,
  'whitespace around "d"': `{${CLAIMS}, "d" : {"user":"u1"} }`,
  'data holding "d" keys, nothing after': `{${CLAIMS},"d":{"d":{"d":[{"d":"}"}]}}}`,
  'flash before "d", as ours': `{${CLAIMS},"f":{"notice":"saved"},"d":{"user":"u1"}}`,
  'flash holding a "d" of its own': `{${CLAIMS},"f":{"m":{"a":1,"d":2}},"d":{"user":"u1"}}`,
};

/** What a session holds, as plain JSON. */
function dataOf(session: Session): unknown {
  return JSON.parse(
    JSON.stringify(Object.fromEntries(session.keys().map((k) => [k, session.get(k)]))),
  );
}

async function read(store: SessionStore, token: string): Promise<Session> {
  const session = await store.load(`session=${token}`);
  expect(session.rejection).toBeUndefined();
  return session;
}

describe.each(Object.entries(LAYOUTS))('an authentic token with %s', (_, text) => {
  const expected = JSON.parse(text).d;

  it('opens to the data JSON.parse reads, on every read with the cache on', async () => {
    const store = makeStore({ advanced: { cacheSize: 100 } });
    const token = await forge(store, text);
    for (let n = 0; n < 3; n++) expect(dataOf(await read(store, token))).toEqual(expected);
  });

  it('opens to the same data with the cache off', async () => {
    const store = makeStore({ advanced: { cacheSize: 0 } });
    expect(dataOf(await read(store, await forge(store, text)))).toEqual(expected);
  });

  it('is sealed again in our own layout, "d" last and once, holding that data', async () => {
    for (const cacheSize of [0, 100]) {
      // Sealed under k1, read by a store that seals with k2: the session, left untouched, is
      // sealed again as it was read (the second time from the cache, when it is on).
      const store = makeStore({
        keys: `${keyEntry('k2')},${keyEntry('k1')}`,
        advanced: { cacheSize },
      });
      const token = await forge(store, text, { keyId: 'k1' });
      for (let n = 0; n < 2; n++) {
        const [line] = await store.commit(await read(store, token));
        const resealed = (line as string).slice('session='.length, (line as string).indexOf(';'));
        const key = await store.keyRing.windowKey('k2', WINDOW);
        const plaintext = decoder.decode((await compactDecrypt(resealed, key)).plaintext);
        // A token without a session id gets one when it is sealed again (issue 24).
        expect(plaintext).toMatch(
          /^\{"pur":"session","iat":\d+,"exp":\d+,"ori":\d+,"sid":"[A-Za-z0-9_-]{22}","d":/,
        );
        expect(plaintext.endsWith(`,"d":${JSON.stringify(expected)}}`)).toBe(true);
      }
    }
  });
});

// What could mislead a reader that cuts the data's text out of the plaintext: quotes,
// backslashes, brackets, commas, colons and "d", in keys and strings at any depth.
const unit = fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', 'd', ' ');
const json = fc.jsonValue({ maxDepth: 3, stringUnit: unit });
const record = fc.dictionary(fc.string({ unit, maxLength: 4 }), json, { maxKeys: 4 });
// Members around the data: flash (whose values may hold a "d" of their own), "d" again (also
// spelled with an escape), or a member of nobody's.
const members = fc.array(
  fc.tuple(fc.constantFrom('d', '\\u0064', 'f', 'x'), fc.oneof(record, json)),
  { maxLength: 2 },
);
const text = (list: [string, unknown][]): string =>
  list.map(([name, value]) => `,"${name}":${JSON.stringify(value)}`).join('');
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

describe('any data, with any members before and after "d"', () => {
  it('opens to what JSON.parse reads, or is refused, alike with the cache on and off', async () => {
    const cached = makeStore({ advanced: { cacheSize: 1000 } });
    const uncached = makeStore({ advanced: { cacheSize: 0 } });
    await fc.assert(
      fc.asyncProperty(members, record, members, async (before, data, after) => {
        const plaintext = `{${CLAIMS}${text(before)},"d":${JSON.stringify(data)}${text(after)}}`;
        const { d, f } = JSON.parse(plaintext);
        const token = await forge(cached, plaintext);
        for (const store of [uncached, cached, cached, cached]) {
          const session = await store.load(`session=${token}`);
          if (!isRecord(d) || (f !== undefined && !isRecord(f))) {
            expect(session.rejection?.reason).toBe('malformed');
            continue;
          }
          expect(session.rejection).toBeUndefined();
          expect(dataOf(session)).toEqual(d);
          for (const [key, value] of Object.entries(f ?? {})) {
            expect(session.getFlash(key)).toEqual(value);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
