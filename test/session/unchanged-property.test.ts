// Whatever the data, a session read back and left alone must cost no Set-Cookie: the baseline
// that change detection compares against is cut from the plaintext, and must equal what
// serialising the loaded data gives, for every JSON the session can hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodecConfig } from '../../src/codec/codec-config.js';
import { toJson } from '../../src/codec/json-value.js';
import { seal } from '../../src/codec/seal.js';
import { unseal } from '../../src/codec/unseal.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { NO_CHOICE } from '../../src/session/lifetime.js';
import { newClaims } from '../../src/session/new-claims.js';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, TEST_KEYS, visit } from '../helpers/store.js';

const dictionary = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '10', '-1', 'é')),
  fc.jsonValue({ maxDepth: 4 }),
  { maxKeys: 6 },
);

describe('an unchanged session, whatever it holds', () => {
  it('sends no Set-Cookie on the next request', async () => {
    await fc.assert(
      fc.asyncProperty(dictionary, async (data) => {
        const store = makeStore(
          { cookie: { maxTotalBytes: 16 * 4096 }, lifetime: { refreshAfter: 1 } },
          new Clock(),
        );
        const jar: Jar = new Map();
        const first = await visit(store, jar, (s) => {
          for (const [key, value] of Object.entries(data)) s.set(key, value as never);
        });
        if (first.setCookies.length === 0) return; // an empty or all-undefined dictionary
        const again = await visit(store, jar, (s) => s.keys());
        expect(again.session.rejection).toBeUndefined();
        expect(again.setCookies).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('has a baseline equal to JSON.stringify of the data as loaded', async () => {
    const clock = new Clock();
    const ring = KeyRing.from(TEST_KEYS, 'keys');
    const codec: CodecConfig = {
      purpose: 'session',
      compress: false,
      engine: undefined,
      maxTokenChars: 16 * 4096,
      idleTimeout: 3600,
      absoluteTimeout: 86400,
      clockTolerance: 30,
      notBefore: undefined,
      cache: undefined,
      now: clock.now,
    };
    await fc.assert(
      fc.asyncProperty(dictionary, async (data) => {
        const now = Math.floor(clock.now() / 1000);
        const claims = newClaims(codec.purpose, now, now + 3600, now, NO_CHOICE, undefined);
        const body = { dataJson: toJson(data, 'data'), flashJson: undefined };
        const opened = await unseal(codec, ring, await seal(codec, ring, claims, body));
        if (!('dataJson' in opened)) throw new Error(`rejected: ${opened.detail}`);
        expect(opened.dataJson).toBe(JSON.stringify(opened.data));
      }),
      { numRuns: 150 },
    );
  });
});
