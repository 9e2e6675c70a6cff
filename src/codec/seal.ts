import { CompactEncrypt } from 'jose';
import type { KeyRing } from '../keys/key-ring.js';
import type { CodecConfig } from './codec-config.js';
import {
  type Claims,
  type ProtectedHeader,
  plaintextOf,
  protectedHeaderOf,
  type SealBody,
  windowOf,
} from './token-format.js';

const encoder = new TextEncoder();

/**
 * Seals claims and data into a compact JWE: `dir` + `A256GCM` under the sealing key's AES key
 * for the current window, with `kid` = `<key id>.<window>`.
 *
 * With the node:crypto engine the token comes back at once (no promise), so a commit can
 * finish in the same tick. Compressed tokens always go through jose, which does the DEFLATE.
 */
export function seal(
  config: CodecConfig,
  ring: KeyRing,
  claims: Claims,
  body: SealBody,
): string | Promise<string> {
  const window = windowOf(claims.iat);
  const keyId = ring.primaryId;
  const header = protectedHeaderOf(keyId, window, config.compress);
  const plaintext = plaintextOf(claims, body);
  const { engine } = config;
  if (engine !== undefined && !config.compress) {
    return engine.seal(engine.keyOf(ring, keyId, window), header, plaintext);
  }
  return sealLater(ring, keyId, window, header, plaintext);
}

async function sealLater(
  ring: KeyRing,
  keyId: string,
  window: number,
  header: ProtectedHeader,
  plaintext: string,
): Promise<string> {
  const key = ring.derivedWindowKey(keyId, window) ?? (await ring.windowKey(keyId, window));
  return new CompactEncrypt(encoder.encode(plaintext)).setProtectedHeader(header).encrypt(key);
}
