import { CompactEncrypt } from 'jose';
import { WINDOW_SECONDS } from '../keys/key-ring.js';
import type { Claims, CodecConfig } from './codec-config.js';
import { ALG, ENC } from './header.js';
import { optionalClaimsJson } from './optional-claims.js';

const encoder = new TextEncoder();

/** What goes into a token besides its claims, already serialised and checked. */
export interface SealBody {
  readonly dataJson: string;
  readonly flashJson: string | undefined;
}

/**
 * Builds the plaintext by concatenation: the data was already serialised (and checked) once,
 * to detect changes, and is not serialised again here.
 */
export function plaintextOf(claims: Claims, body: SealBody): string {
  return (
    `{"pur":${JSON.stringify(claims.pur)},"iat":${claims.iat},"exp":${claims.exp},"ori":${claims.ori}` +
    optionalClaimsJson(claims) +
    (body.flashJson === undefined ? '' : `,"f":${body.flashJson}`) +
    `,"d":${body.dataJson}}`
  );
}

/**
 * Seals claims and data into a compact JWE: `dir` + `A256GCM` under the sealing key's AES key
 * for the current window, with `kid` = `<key id>.<window>`.
 */
export async function seal(config: CodecConfig, claims: Claims, body: SealBody): Promise<string> {
  const window = Math.floor(claims.iat / WINDOW_SECONDS);
  const keyId = config.ring.primaryId;
  const key =
    config.ring.derivedWindowKey(keyId, window) ?? (await config.ring.windowKey(keyId, window));
  const header = config.compress
    ? { alg: ALG, enc: ENC, kid: `${keyId}.${window}`, zip: 'DEF' }
    : { alg: ALG, enc: ENC, kid: `${keyId}.${window}` };
  return new CompactEncrypt(encoder.encode(plaintextOf(claims, body)))
    .setProtectedHeader(header)
    .encrypt(key);
}
