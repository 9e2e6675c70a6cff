// Each header guard in src/codec/header.ts, by a token that only that guard stops: most are
// sealed under the ring's real window key with valid claims, so without the guard they would
// either open or fail later in jose with another reason ('tampered'), and these tests fail.
import { generateKeyPairSync } from 'node:crypto';
import { CompactEncrypt, CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_SECONDS } from '../../src/codec/token-format.js';
import { SessionRejectedError } from '../../src/errors.js';
import type { SessionStore } from '../../src/index.js';
import { Clock } from '../helpers/clock.js';
import { openAsCookie, sealAsCookie } from '../helpers/cookie-oracle.js';
import { b64, forge, type Payload } from '../helpers/forge.js';
import { keyBytesFor } from '../helpers/keys.js';
import { makeStore } from '../helpers/store.js';

const clock = new Clock();
const store = makeStore({ advanced: { cacheSize: 0 } }, clock);
const NOW = clock.seconds;
const WINDOW = Math.floor(NOW / WINDOW_SECONDS);
const KID = `k1.${WINDOW}`;
const payload: Payload = {
  pur: 'session',
  iat: NOW,
  exp: NOW + 600,
  ori: NOW,
  d: { user: 'mallory' },
};
let real: string[];

beforeAll(async () => {
  real = (await sealAsCookie(store, { user: 'ada' })).split('.');
  // The forging helper is sound: with our own header, a forged token opens.
  expect(await openAsCookie(store, await forge(store, payload))).toEqual({ user: 'mallory' });
});

async function expectMalformed(token: string, detail: string, target: SessionStore = store) {
  const result = await openAsCookie(target, token);
  expect(result).toBeInstanceOf(SessionRejectedError);
  const rejection = result as SessionRejectedError;
  expect(rejection.code).toBe('ERR_SESSION_REJECTED');
  expect(rejection.reason).toBe('malformed');
  expect(rejection.detail).toBe(detail);
  expect(rejection.message).toBe(`session cookie rejected (malformed): ${detail}`);
  const session = await target.load(`${target.cookieName}=${token}`);
  expect(session.rejection?.reason).toBe('malformed');
  expect(session.isNew).toBe(true);
}

/** The real token's iv, ciphertext and tag under another header. */
function withHeader(header: Record<string, unknown>, encryptedKey = ''): string {
  return [b64(header), encryptedKey, real[2], real[3], real[4]].join('.');
}

describe('algorithm allowlist', () => {
  it('refuses alg "none"', async () => {
    await expectMalformed(
      withHeader({ alg: 'none', enc: 'A256GCM', kid: KID }),
      'alg "none" is not allowed',
    );
  });

  it('refuses a header without alg', async () => {
    await expectMalformed(withHeader({ enc: 'A256GCM', kid: KID }), 'alg undefined is not allowed');
  });

  it('refuses PBES2 with a huge p2c before any key derivation', async () => {
    const header = {
      alg: 'PBES2-HS256+A128KW',
      enc: 'A256GCM',
      kid: KID,
      p2c: 2_000_000_000,
      p2s: b64('saltsaltsaltsalt'),
    };
    // As PBES2 writes it, with a wrapped key...
    await expectMalformed(
      withHeader(header, b64('x'.repeat(40))),
      'encrypted key segment must be empty for alg "dir"',
    );
    // ...and with the key segment emptied, so the member check is what stops it.
    await expectMalformed(withHeader(header), 'header member "p2c" is not allowed');
    // And with only the alg wrong.
    await expectMalformed(
      withHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A256GCM', kid: KID }),
      'alg "PBES2-HS256+A128KW" is not allowed',
    );
  });

  it('refuses a real RSA-OAEP JWE', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: KID })
      .encrypt(publicKey);
    await expectMalformed(token, 'encrypted key segment must be empty for alg "dir"');
    await expectMalformed(
      withHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: KID }),
      'alg "RSA-OAEP" is not allowed',
    );
  });

  it('refuses a real ECDH-ES JWE (direct agreement: no encrypted key, an epk)', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: KID })
      .encrypt(publicKey);
    expect(token.split('.')[1]).toBe('');
    await expectMalformed(token, 'header member "epk" is not allowed');
    await expectMalformed(
      withHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: KID }),
      'alg "ECDH-ES" is not allowed',
    );
  });

  it('refuses dir with A128GCM, sealed under a real 128-bit key', async () => {
    const token = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'dir', enc: 'A128GCM', kid: KID })
      .encrypt(keyBytesFor('k1').slice(0, 16));
    await expectMalformed(token, 'enc "A128GCM" is not allowed');
  });

  it('refuses dir with A256CBC-HS512, sealed under a real 512-bit key', async () => {
    const key = new Uint8Array([...keyBytesFor('k1'), ...keyBytesFor('k1')]);
    const token = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512', kid: KID })
      .encrypt(key);
    await expectMalformed(token, 'enc "A256CBC-HS512" is not allowed');
  });

  it('refuses a JWS (three segments) where a JWE belongs', async () => {
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .sign(keyBytesFor('k1'));
    await expectMalformed(jws, 'expected 5 compact JWE segments, got 3');
  });
});

describe('header members', () => {
  it('refuses zip when compression is off, though sealed under the real key', async () => {
    const token = await forge(store, payload, { header: { zip: 'DEF' } });
    await expectMalformed(token, 'zip "DEF" is not allowed (compression is off)');
    // The same token opens where compression is on: the guard, not the crypto, refused it.
    const compressing = makeStore({ advanced: { cacheSize: 0, compress: true } }, clock);
    expect(await openAsCookie(compressing, token)).toEqual({ user: 'mallory' });
  });

  it('refuses a zip other than DEF when compression is on', async () => {
    const compressing = makeStore({ advanced: { cacheSize: 0, compress: true } }, clock);
    await expectMalformed(
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: KID, zip: 'GZIP' }),
      'zip "GZIP" is not allowed',
      compressing,
    );
  });

  it('refuses an unknown crit, sealed under the real key', async () => {
    const token = await forge(store, payload, {
      header: { crit: ['x-ours'], 'x-ours': true },
      encryptOptions: { crit: { 'x-ours': true } },
    });
    await expectMalformed(token, 'header member "crit" is not allowed');
  });

  it.each(['typ', 'cty', 'jku', 'jwk', 'x5u', 'iv', 'tag', 'exp'])(
    'refuses an extra member %s, though otherwise a valid token under the real key',
    async (member) => {
      const token = await forge(store, payload, { header: { [member]: 'x' } });
      await expectMalformed(token, `header member "${member}" is not allowed`);
    },
  );

  it('refuses a __proto__ member', async () => {
    const header = `{"alg":"dir","enc":"A256GCM","kid":"${KID}","__proto__":{"alg":"none"}}`;
    await expectMalformed(
      [b64(header), '', real[2], real[3], real[4]].join('.'),
      'header member "__proto__" is not allowed',
    );
  });

  it.each([
    ['missing', undefined],
    ['without a window', 'k1'],
    ['with a word for a window', 'k1.abc'],
    ['with a dot in the key id', 'k.1.5'],
    ['with an 11-digit window', 'k1.12345678901'],
    ['with an empty key id', '.5'],
    ['with a 33-character key id', `${'k'.repeat(33)}.5`],
    ['a number', 5],
  ])('refuses a kid %s', async (_, kid) => {
    const token = await forge(store, payload, { header: { kid } });
    await expectMalformed(token, 'kid is missing or not <key id>.<window>');
  });

  it('refuses a header that is not base64url, not JSON, or not an object', async () => {
    const rest = ['', real[2], real[3], real[4]].join('.');
    await expectMalformed(`e30=.${rest}`, 'protected header is not base64url');
    await expectMalformed(`${b64('{nope')}.${rest}`, 'protected header is not JSON');
    await expectMalformed(`${b64('[1]')}.${rest}`, 'protected header is not an object');
    await expectMalformed(`${b64('x'.repeat(200))}.${rest}`, 'protected header is too long');
  });
});

describe('remembered headers', () => {
  it('a header read by a store with compression on is still refused by one with it off', async () => {
    const compressing = makeStore({ advanced: { cacheSize: 0, compress: true } }, clock);
    const token = await forge(compressing, payload, { header: { zip: 'DEF' } });
    expect(await openAsCookie(compressing, token)).toEqual({ user: 'mallory' });
    await expectMalformed(token, 'zip "DEF" is not allowed (compression is off)');
    expect(await openAsCookie(compressing, token)).toEqual({ user: 'mallory' });
  });

  it('a remembered header still needs canonical segments after it', async () => {
    expect(await openAsCookie(store, real.join('.'))).toEqual({ user: 'ada' });
    await expectMalformed(
      [real[0], '', `${real[2]}=`, real[3], real[4]].join('.'),
      'iv, ciphertext or tag is not canonical base64url',
    );
  });

  it('reads every header right while far more distinct ones pass than it remembers', async () => {
    for (let i = 0; i < 200; i++) {
      // A valid header naming a key this ring lacks: remembered, then refused by the ring.
      const stranger = withHeader({ alg: 'dir', enc: 'A256GCM', kid: `x${i}.${WINDOW}` });
      const result = (await openAsCookie(store, stranger)) as SessionRejectedError;
      expect(result.reason).toBe('unknown-key');
      expect(result.detail).toBe(`no key with id "x${i}" in the ring`);
      // The same meaning spelt with the members in another order is another header text.
      const reordered = await forge(store, payload, { header: { enc: 'A256GCM', alg: 'dir' } });
      expect(await openAsCookie(store, reordered)).toEqual({ user: 'mallory' });
    }
    // Header texts come from browsers: what is remembered of them is a BoundedMemo (its bound
    // is tested in test/util/bounded-memo.test.ts), so a known header is read right after
    // hundreds of others pushed it out.
    expect(await openAsCookie(store, real.join('.'))).toEqual({ user: 'ada' });
  });
});
