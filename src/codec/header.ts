import { SessionRejectedError } from '../errors.js';
import { KEY_ID } from '../keys/key-entry.js';
import { decodeBase64url } from './base64url.js';

export const ALG = 'dir';
export const ENC = 'A256GCM';

// The only header members a token of ours carries. Anything else (crit, jku, p2c, epk, …)
// means somebody else made it; refusing it here means no expensive or unexpected path in
// jose is ever reached with attacker input.
const ALLOWED_MEMBERS = new Set(['alg', 'enc', 'kid', 'zip']);
const KID = /^([A-Za-z0-9_-]{1,32})\.(\d{1,10})$/;
// A compact JWE header of ours is well under 100 bytes.
const MAX_HEADER_CHARS = 256;

export interface TokenHeader {
  readonly keyId: string;
  readonly window: number;
  readonly zip: boolean;
}

function reject(detail: string): SessionRejectedError {
  return new SessionRejectedError('malformed', detail);
}

/**
 * Reads and checks a token's protected header before any cryptography: the allowlist of
 * algorithms is enforced here, on a string of at most a few hundred bytes.
 */
export function readHeader(token: string, allowZip: boolean): TokenHeader | SessionRejectedError {
  const parts = token.split('.');
  if (parts.length !== 5) return reject(`expected 5 compact JWE segments, got ${parts.length}`);
  const [encoded, encryptedKey] = parts as [string, string];
  if (encryptedKey !== '') return reject('encrypted key segment must be empty for alg "dir"');
  if (encoded.length > MAX_HEADER_CHARS) return reject('protected header is too long');
  const bytes = decodeBase64url(encoded);
  if (!bytes) return reject('protected header is not base64url');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return reject('protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return reject('protected header is not an object');
  }
  for (const member of Object.keys(header)) {
    if (!ALLOWED_MEMBERS.has(member)) return reject(`header member "${member}" is not allowed`);
  }
  const { alg, enc, kid, zip } = header as Record<string, unknown>;
  if (alg !== ALG) return reject(`alg ${JSON.stringify(alg)} is not allowed`);
  if (enc !== ENC) return reject(`enc ${JSON.stringify(enc)} is not allowed`);
  if (zip !== undefined && (zip !== 'DEF' || !allowZip)) {
    return reject(
      `zip ${JSON.stringify(zip)} is not allowed${allowZip ? '' : ' (compression is off)'}`,
    );
  }
  const match = typeof kid === 'string' ? KID.exec(kid) : null;
  if (!match || !KEY_ID.test(match[1] as string))
    return reject('kid is missing or not <key id>.<window>');
  return { keyId: match[1] as string, window: Number(match[2]), zip: zip === 'DEF' };
}
