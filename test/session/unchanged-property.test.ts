// Whatever the data, a session read back and left alone must cost no Set-Cookie: the baseline
// that change detection compares against is cut from the plaintext, and must equal what
// serialising the loaded data gives, for every JSON the session can hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unseal } from '../../src/codec/unseal.js';
import { buildStoreConfig } from '../../src/options/build-store-config.js';
import { parseOptions } from '../../src/options/parse-options.js';
import { sealedCodec } from '../../src/session/sealed-purpose.js';
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
    const config = buildStoreConfig(
      parseOptions({
        keys: TEST_KEYS,
        advanced: { cacheSize: 0 },
        testing: { env: {}, now: clock.now },
      }),
    );
    const store = makeStore({ advanced: { cacheSize: 0 } }, clock);
    await fc.assert(
      fc.asyncProperty(dictionary, async (data) => {
        const opened = await unseal(sealedCodec(config.codec), await store.seal(data));
        if (!('dataJson' in opened)) throw new Error(`rejected: ${opened.detail}`);
        expect(opened.dataJson).toBe(JSON.stringify(opened.data));
      }),
      { numRuns: 150 },
    );
  });
});
