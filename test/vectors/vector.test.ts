// Tokens sealed once and checked in (v1.json). If these stop opening, the token format, the key
// derivation or the chunk format changed, and every cookie in the wild would be rejected:
// that needs a deliberate version bump, not a regenerated fixture.
import { readFileSync } from 'node:fs';
import { compactDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import { createSessionStore } from '../../src/index.js';
import { openAsCookie } from '../helpers/cookie-oracle.js';

interface Vector {
  keys: string;
  sealedAtMs: number;
  options: { purpose: string; idleTimeout: number; absoluteTimeout: number };
  single: { cookieHeader: string; data: Record<string, unknown>; flash: Record<string, unknown> };
  chunked: {
    options: { maxCookieBytes: number; maxTotalBytes: number };
    cookieHeader: string;
    data: Record<string, unknown>;
  };
  compressed: { options: { compress: boolean }; token: string; data: Record<string, unknown> };
}

const vector = JSON.parse(readFileSync(new URL('./v1.json', import.meta.url), 'utf8')) as Vector;

// Ten minutes after sealing: inside the token's lifetime and its key window.
const at = (ms: number) => () => ms;
const later = vector.sealedAtMs + 10 * 60_000;

// The vector names its settings as the options were named when it was made (flat); the
// store takes them grouped.
function store(
  extra: Partial<Vector['chunked']['options'] & Vector['compressed']['options']> = {},
  nowMs = later,
) {
  const { purpose, idleTimeout, absoluteTimeout } = vector.options;
  return createSessionStore({
    keys: vector.keys,
    cookie: {
      ...(extra.maxCookieBytes !== undefined && { maxChunkBytes: extra.maxCookieBytes }),
      ...(extra.maxTotalBytes !== undefined && { maxTotalBytes: extra.maxTotalBytes }),
    },
    lifetime: { idleTimeout, absoluteTimeout },
    advanced: {
      purpose,
      cacheSize: 0,
      ...(extra.compress !== undefined && { compress: extra.compress }),
    },
    testing: { env: {}, now: at(nowMs) },
  });
}

/** The window key derived by hand from the spec, independent of KeyRing. */
async function windowKeyByHand(secret: string, window: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    'raw',
    Buffer.from(secret, 'base64url'),
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new TextEncoder().encode('jwe-session/v1/key'),
      info: new TextEncoder().encode(`jwe-session/v1/dir+A256GCM/window/${window}`),
    },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
}

describe('checked-in vector v1', () => {
  it('opens the single-cookie session with its data and flash', async () => {
    const s = await store().load(vector.single.cookieHeader);
    expect(s.rejection).toBeUndefined();
    expect(s.isNew).toBe(false);
    expect(s.toJSON()).toEqual(vector.single.data);
    expect(s.getFlash('notice')).toBe(vector.single.flash.notice);
    expect(s.createdAt?.getTime()).toBe(vector.sealedAtMs);
    expect(s.cookie?.keyId).toBe('vec1');
    expect(s.cookie?.expiresAt.getTime()).toBe(vector.sealedAtMs + 3600_000);
  });

  it('has the documented header and plaintext layout, under the documented key derivation', async () => {
    const token = vector.single.cookieHeader.slice('session='.length);
    const window = Math.floor(vector.sealedAtMs / 1000 / 3600);
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM', kid: `vec1.${window}` });
    const secret = vector.keys.split(':')[1] as string;
    const { plaintext } = await compactDecrypt(token, await windowKeyByHand(secret, window));
    const body = JSON.parse(new TextDecoder().decode(plaintext));
    const iat = vector.sealedAtMs / 1000;
    expect(body).toEqual({
      pur: 'session/vector',
      iat,
      exp: iat + 3600,
      ori: iat,
      f: vector.single.flash,
      d: vector.single.data,
    });
    expect(Object.keys(body)).toEqual(['pur', 'iat', 'exp', 'ori', 'f', 'd']);
  });

  it('still seals in that layout today, plus a session id (same header, same plaintext members in order)', async () => {
    const fresh = store({}, vector.sealedAtMs);
    const session = await fresh.load(undefined);
    for (const [key, value] of Object.entries(vector.single.data)) session.set(key, value as never);
    session.flash('notice', vector.single.flash.notice as string);
    const token = ((await fresh.commit(session))[0] as string)
      .split(';')[0]
      ?.slice('session='.length) as string;
    const window = Math.floor(vector.sealedAtMs / 1000 / 3600);
    const secret = vector.keys.split(':')[1] as string;
    const key = await windowKeyByHand(secret, window);
    const open = async (t: string) =>
      new TextDecoder().decode((await compactDecrypt(t, key)).plaintext);
    const old = vector.single.cookieHeader.slice('session='.length);
    expect(token.split('.')[0]).toBe(old.split('.')[0]);
    // A token sealed today carries its session id (issue 24) after the optional claims; the
    // vector, sealed before ids, still opens (above) and gets one at its next seal.
    const plaintext = await open(token);
    expect(plaintext).toMatch(/,"sid":"[A-Za-z0-9_-]{22}","f":/);
    expect(plaintext.replace(/,"sid":"[A-Za-z0-9_-]{22}"/, '')).toBe(await open(old));
  });

  it('opens the chunked session from its Cookie header', async () => {
    expect(vector.chunked.cookieHeader).toMatch(/^session=\d+~.*; session\.1=/);
    const s = await store(vector.chunked.options).load(vector.chunked.cookieHeader);
    expect(s.rejection).toBeUndefined();
    expect(s.toJSON()).toEqual(vector.chunked.data);
    expect(s.cookie?.chunks).toBeGreaterThan(1);
  });

  it('opens the compressed token', async () => {
    expect(await openAsCookie(store(vector.compressed.options), vector.compressed.token)).toEqual(
      vector.compressed.data,
    );
  });

  it('is expired once its idle lifetime is over (the vector is not timeless)', async () => {
    const result = await openAsCookie(
      store({}, vector.sealedAtMs + 2 * 3600_000),
      vector.single.cookieHeader.slice('session='.length),
    );
    expect(result).toBeInstanceOf(SessionRejectedError);
    expect((result as SessionRejectedError).reason).toBe('expired');
  });
});
