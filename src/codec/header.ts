import { SessionRejectedError } from '../errors.js';
import { decodeBase64url, isCanonicalBase64url } from '../util/base64url.js';
import { BoundedMemo } from '../util/bounded-memo.js';
import { quoteAscii } from '../util/printable.js';
import { detached } from './detached.js';
import { ALG, ENC, parseKid, ZIP } from './token-format.js';

// The only header members a token of ours carries. Anything else (crit, jku, p2c, epk, …)
// means somebody else made it; refusing it here means no expensive or unexpected path in
// jose is ever reached with attacker input.
const ALLOWED_MEMBERS = new Set(['alg', 'enc', 'kid', 'zip']);
// A compact JWE header of ours is well under 100 bytes.
const MAX_HEADER_CHARS = 256;
// One decoder for every call: fatal decoding without `stream` keeps no state between calls.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface TokenHeader {
  readonly keyId: string;
  readonly window: number;
  readonly zip: boolean;
}

/** A token's five segments, each checked: header, '' (no encrypted key), IV, ciphertext, tag. */
export type TokenSegments = readonly [string, '', string, string, string];

/** A token whose header passed, with its segments, so nothing after this splits it again. */
export interface ReadToken extends TokenHeader {
  readonly segments: TokenSegments;
}

function reject(detail: string): SessionRejectedError {
  return new SessionRejectedError('malformed', detail);
}

// Every token sealed under one key in one hour carries the same header text, so what a header
// text reads as is remembered (it depends on nothing else but whether zip is allowed): a busy
// server decodes and checks a handful of distinct headers, not one per request. Bounded, as
// the texts come from browsers; only headers that passed are kept.
const MAX_KNOWN_HEADERS = 64;
const knownHeaders = [
  new BoundedMemo<string, TokenHeader>(MAX_KNOWN_HEADERS),
  new BoundedMemo<string, TokenHeader>(MAX_KNOWN_HEADERS),
] as const;

/**
 * Reads and checks a token's protected header before any cryptography: the allowlist of
 * algorithms is enforced here, on a string of at most a few hundred bytes.
 */
export function readHeader(token: string, allowZip: boolean): ReadToken | SessionRejectedError {
  const parts = token.split('.');
  if (parts.length !== 5) return reject(`expected 5 compact JWE segments, got ${parts.length}`);
  const [encoded, encryptedKey] = parts as [string, string];
  if (encryptedKey !== '') return reject('encrypted key segment must be empty for alg "dir"');
  const known = knownHeaders[allowZip ? 1 : 0];
  let header = known.get(encoded);
  if (header === undefined) {
    const read = checkHeader(encoded, allowZip);
    if (read instanceof SessionRejectedError) return read;
    // A copy: `encoded` is cut from the request's Cookie header, which it would keep alive.
    known.set(detached(encoded), read);
    header = read;
  }
  // jose decodes the other segments leniently (atob skips whitespace and '=', ignores stray
  // bits), so without this many spellings of one token would open: any change must be rejected.
  // This is the one canonical check of these segments: the node:crypto engine, which decodes
  // leniently too, is handed them from here.
  const [, , iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (
    !isCanonicalBase64url(iv) ||
    !isCanonicalBase64url(ciphertext) ||
    !isCanonicalBase64url(tag)
  ) {
    return reject('iv, ciphertext or tag is not canonical base64url');
  }
  const { keyId, window, zip } = header;
  return { keyId, window, zip, segments: parts as unknown as TokenSegments };
}

function checkHeader(encoded: string, allowZip: boolean): TokenHeader | SessionRejectedError {
  if (encoded.length > MAX_HEADER_CHARS) return reject('protected header is too long');
  const bytes = decodeBase64url(encoded);
  if (!bytes) return reject('protected header is not base64url');
  let header: unknown;
  try {
    header = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    return reject('protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return reject('protected header is not an object');
  }
  for (const member of Object.keys(header)) {
    if (!ALLOWED_MEMBERS.has(member))
      return reject(`header member ${quoteAscii(member)} is not allowed`);
  }
  const { alg, enc, kid, zip } = header as Record<string, unknown>;
  if (alg !== ALG) return reject(`alg ${quoteAscii(alg)} is not allowed`);
  if (enc !== ENC) return reject(`enc ${quoteAscii(enc)} is not allowed`);
  if (zip !== undefined && (zip !== ZIP || !allowZip)) {
    return reject(
      `zip ${quoteAscii(zip)} is not allowed${allowZip ? '' : ' (compression is off)'}`,
    );
  }
  const parsed = parseKid(kid);
  if (!parsed) return reject('kid is missing or not <key id>.<window>');
  return { keyId: parsed.keyId, window: parsed.window, zip: zip === ZIP };
}
