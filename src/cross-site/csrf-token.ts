import { KEY_ID } from '../keys/key-entry.js';
import { decodeBase64url, encodeBase64url } from '../util/base64url.js';
import { sameBytes } from './constant-time.js';

// A token is `v1.<key id>.<MAC>`: the MAC is HMAC-SHA-256 of the session id, cut to 128 bits
// (22 base64url characters), under a key of its own derived from a store key. The key id lets
// a token made before a key rotation verify while the old key is still in the ring; the
// version lets a later format be told apart.
const VERSION = 'v1';
const MAC_BYTES = 16;
const TOKEN = /^v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{22})$/;

const encoder = new TextEncoder();

/** An HMAC key for tokens and the id of the store key it was derived from. */
export interface CsrfKey {
  readonly id: string;
  readonly key: CryptoKey;
}

/**
 * The token key of one store key: HKDF-SHA-256 over `base` (the store key imported for HKDF,
 * as the key ring holds it) with a salt and info of its own, so it shares nothing usable with
 * the keys that seal cookies.
 */
export async function deriveCsrfKey(base: CryptoKey, id: string): Promise<CsrfKey> {
  if (!KEY_ID.test(id))
    throw new RangeError('a CSRF key id is a key ring id: 1-32 of A-Z a-z 0-9 _ -');
  const key = await crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode('jwe-session/v1/csrf'),
      info: encoder.encode('jwe-session/v1/csrf-token/HS256'),
    },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
  return { id, key };
}

async function macOf(key: CryptoKey, sessionId: string): Promise<Uint8Array> {
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(sessionId));
  return new Uint8Array(mac, 0, MAC_BYTES);
}

/**
 * The token for one session under `key` (the store's sealing key): the same for every call
 * while the session keeps its id, and another one after `regenerate()` gives it a new id.
 */
export async function csrfToken(key: CsrfKey, sessionId: string): Promise<string> {
  if (sessionId === '') throw new RangeError('a CSRF token needs the session id');
  return `${VERSION}.${key.id}.${encodeBase64url(await macOf(key.key, sessionId))}`;
}

/**
 * Whether `token` is this session's token under one of `keys`. Anything a browser could send
 * (no token, an array from a repeated field, garbage, a token of another session or from
 * before `regenerate()`) is false, never an error. The MACs are compared in constant time.
 */
export async function verifyCsrfToken(
  keys: readonly CsrfKey[],
  sessionId: string,
  token: unknown,
): Promise<boolean> {
  // A repeated form field arrives as an array, which the expression would read as its text.
  if (typeof token !== 'string') return false;
  // Anchored, with bounded repeats: a megabyte of form field fails within its first 60 characters.
  const parts = TOKEN.exec(token);
  if (parts === null) return false;
  const key = keys.find((candidate) => candidate.id === parts[1]);
  const given = decodeBase64url(parts[2] as string);
  if (key === undefined || given === undefined) return false;
  return sameBytes(await macOf(key.key, sessionId), given);
}
