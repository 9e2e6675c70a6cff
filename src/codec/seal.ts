import { CompactEncrypt } from 'jose';
import type { CodecConfig } from './codec-config.js';
import {
  type Claims,
  plaintextOf,
  protectedHeaderOf,
  type SealBody,
  windowOf,
} from './token-format.js';

const encoder = new TextEncoder();

/**
 * Seals claims and data into a compact JWE: `dir` + `A256GCM` under the sealing key's AES key
 * for the current window, with `kid` = `<key id>.<window>`.
 */
export async function seal(config: CodecConfig, claims: Claims, body: SealBody): Promise<string> {
  const window = windowOf(claims.iat);
  const keyId = config.ring.primaryId;
  const key =
    config.ring.derivedWindowKey(keyId, window) ?? (await config.ring.windowKey(keyId, window));
  return new CompactEncrypt(encoder.encode(plaintextOf(claims, body)))
    .setProtectedHeader(protectedHeaderOf(keyId, window, config.compress))
    .encrypt(key);
}
