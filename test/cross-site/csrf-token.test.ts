// The session-bound CSRF token (issue 25): an HMAC of the session id under a key derived from
// a store key. It verifies for its own session under any key still in the ring, and nothing
// else does: another session, the same session after regenerate(), another key, a tampered,
// cut or padded token, or a value that is not a token at all.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sameBytes } from '../../src/cross-site/constant-time.js';
import {
  type CsrfKey,
  csrfToken,
  deriveCsrfKey,
  verifyCsrfToken,
} from '../../src/cross-site/csrf-token.js';
import { encodeBase64url } from '../../src/util/base64url.js';
import { keyBytesFor } from '../helpers/keys.js';

// The MAC comparison, observed: every verification that gets as far as a MAC must go through
// the constant-time compare, never `===` on strings or an early-exit loop.
vi.mock('../../src/cross-site/constant-time.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cross-site/constant-time.js')>();
  return { sameBytes: vi.fn(actual.sameBytes) };
});

async function hkdfBase(label: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', keyBytesFor(label) as BufferSource, 'HKDF', false, [
    'deriveKey',
    'deriveBits',
  ]);
}

function sessionId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

let k1: CsrfKey;
let k2: CsrfKey;
let k1Elsewhere: CsrfKey;

beforeAll(async () => {
  k1 = await deriveCsrfKey(await hkdfBase('k1'), 'k1');
  k2 = await deriveCsrfKey(await hkdfBase('k2'), 'k2');
  // The id k1 on another secret: another deployment, or a key replaced under the same id.
  k1Elsewhere = await deriveCsrfKey(await hkdfBase('not k1'), 'k1');
});

describe('a token', () => {
  it('is v1.<key id>.<22 base64url characters>, the same for every call on one session', async () => {
    const sid = sessionId();
    const token = await csrfToken(k1, sid);
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{22}$/);
    expect(await csrfToken(k1, sid)).toBe(token);
    expect(await csrfToken(k1, sessionId())).not.toBe(token);
  });

  it('is the first 128 bits of HMAC-SHA-256 of the session id, under a key of its own', async () => {
    const sid = 'AAAAAAAAAAAAAAAAAAAAAA';
    const bits = await webcrypto.subtle.deriveBits(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new TextEncoder().encode('jwe-session/v1/csrf'),
        info: new TextEncoder().encode('jwe-session/v1/csrf-token/HS256'),
      },
      await hkdfBase('k1'),
      256,
    );
    const { createHmac } = await import('node:crypto');
    const mac = createHmac('sha256', Buffer.from(bits)).update(sid).digest().subarray(0, 16);
    expect(await csrfToken(k1, sid)).toBe(`v1.k1.${mac.toString('base64url')}`);
  });

  it('needs a session id and a ring key id', async () => {
    await expect(csrfToken(k1, '')).rejects.toThrow(RangeError);
    await expect(deriveCsrfKey(await hkdfBase('k1'), 'a.b')).rejects.toThrow(/key ring id/);
    await expect(deriveCsrfKey(await hkdfBase('k1'), '')).rejects.toThrow(RangeError);
  });
});

describe('verifyCsrfToken', () => {
  it('accepts the session its token was made for', async () => {
    const sid = sessionId();
    expect(await verifyCsrfToken([k1], sid, await csrfToken(k1, sid))).toBe(true);
  });

  it('refuses the token of another session, or of this one before regenerate()', async () => {
    const before = sessionId();
    const token = await csrfToken(k1, before);
    const after = sessionId();
    expect(await verifyCsrfToken([k1], after, token)).toBe(false);
    expect(await verifyCsrfToken([k1], `${before}x`, token)).toBe(false);
    expect(await verifyCsrfToken([k1], before.slice(1), token)).toBe(false);
    expect(await verifyCsrfToken([k1], '', token)).toBe(false);
  });

  it('follows key rotation: any key still listed, by the id in the token', async () => {
    const sid = sessionId();
    const old = await csrfToken(k1, sid);
    const fresh = await csrfToken(k2, sid);
    expect(await verifyCsrfToken([k2, k1], sid, old)).toBe(true);
    expect(await verifyCsrfToken([k2, k1], sid, fresh)).toBe(true);
    // The old key left the ring: its tokens go with it.
    expect(await verifyCsrfToken([k2], sid, old)).toBe(false);
    // The MAC of one key under the other key's id.
    expect(await verifyCsrfToken([k1, k2], sid, fresh.replace('v1.k2.', 'v1.k1.'))).toBe(false);
  });

  it('refuses a token under another secret with the same key id', async () => {
    const sid = sessionId();
    expect(await verifyCsrfToken([k1], sid, await csrfToken(k1Elsewhere, sid))).toBe(false);
  });

  it('refuses every one-character change, cut or addition', async () => {
    const sid = sessionId();
    const token = await csrfToken(k1, sid);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    const variants = new Set<string>();
    for (let i = 0; i < token.length; i++) {
      for (const c of alphabet) variants.add(token.slice(0, i) + c + token.slice(i + 1));
      variants.add(token.slice(0, i) + token.slice(i + 1));
    }
    variants.add(`${token}A`);
    variants.add(token.slice(0, -1));
    variants.delete(token);
    const accepted = [];
    for (const variant of variants) {
      if (await verifyCsrfToken([k1], sid, variant)) accepted.push(variant);
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a MAC spelled non-canonically, padded, or with other characters', async () => {
    const sid = sessionId();
    const token = await csrfToken(k1, sid);
    const mac = token.slice('v1.k1.'.length);
    // 22 characters hold 16 bytes and 4 spare bits: a last character with them set is
    // another spelling of the same bytes.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(
      mac.at(-1) as string,
    );
    const stray = `v1.k1.${mac.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last | 1]}`;
    expect(await verifyCsrfToken([k1], sid, stray)).toBe(false);
    for (const odd of [
      `${token}==`,
      `${token} `,
      ` ${token}`,
      token.replace(/-/g, '+').replace(/_/g, '/'),
      token.replace('v1.', 'V1.'),
      token.replace('v1.', 'v2.'),
      token.replace('v1.k1.', 'v1..'),
      token.replace('v1.k1.', ''),
      `v1.k1.${mac}.extra`,
      `v1.${'k'.repeat(33)}.${mac}`,
    ]) {
      if (odd === token) continue;
      expect(await verifyCsrfToken([k1], sid, odd), odd).toBe(false);
    }
  });

  it('answers false, never throws, for whatever a form parser hands over', async () => {
    const sid = sessionId();
    const token = await csrfToken(k1, sid);
    for (const value of [undefined, null, '', 0, [token], { token }, token.repeat(100), '\u0000']) {
      expect(await verifyCsrfToken([k1], sid, value)).toBe(false);
    }
    expect(await verifyCsrfToken([], sid, token)).toBe(false);
  });

  it('compares the MACs with the constant-time compare', async () => {
    const spy = vi.mocked(sameBytes);
    spy.mockClear();
    const sid = sessionId();
    const token = await csrfToken(k1, sid);
    expect(await verifyCsrfToken([k1], sid, token)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    const [expected, given] = spy.mock.calls[0] as [Uint8Array, Uint8Array];
    expect(expected.length).toBe(16);
    expect(given.length).toBe(16);
    // Its answer is the verdict: no second, faster comparison sits beside it.
    spy.mockReturnValueOnce(false);
    expect(await verifyCsrfToken([k1], sid, token)).toBe(false);
  });
});

describe('sameBytes', () => {
  it('is equality of length and content', async () => {
    const { sameBytes: real } = await vi.importActual<
      typeof import('../../src/cross-site/constant-time.js')
    >('../../src/cross-site/constant-time.js');
    expect(real(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(real(new Uint8Array([]), new Uint8Array([]))).toBe(true);
    expect(real(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(real(new Uint8Array([0, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(real(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(real(new Uint8Array([128]), new Uint8Array([0]))).toBe(false);
  });

  it('reads every byte, however early the first difference', async () => {
    const { sameBytes: real } = await vi.importActual<
      typeof import('../../src/cross-site/constant-time.js')
    >('../../src/cross-site/constant-time.js');
    const reads: number[] = [];
    const counted = (bytes: Uint8Array) =>
      new Proxy(bytes, {
        get(target, property) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads.push(Number(property));
          return Reflect.get(target, property);
        },
      });
    const a = new Uint8Array(16);
    const b = new Uint8Array(16).fill(1);
    expect(real(counted(a), counted(b))).toBe(false);
    expect(reads.length).toBe(32);
    expect(new Set(reads).size).toBe(16);
  });
});
