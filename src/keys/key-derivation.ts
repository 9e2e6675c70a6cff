import type { ParsedKey } from './key-entry.js';

const encoder = new TextEncoder();

/** A made-up development key: its id and its 32 random bytes. */
export interface EphemeralKey {
  readonly id: string;
  readonly material: Uint8Array<ArrayBuffer>;
}

/** A random development key and a random id for it. */
export function newEphemeralKey(): EphemeralKey {
  return {
    id: `dev-${Math.random().toString(36).slice(2, 8)}`,
    material: crypto.getRandomValues(new Uint8Array(32)),
  };
}

/** What HKDF-SHA-256 takes to make one window key: the same for every engine. */
export interface WindowKeyInput {
  readonly secret: Uint8Array<ArrayBuffer>;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly info: Uint8Array<ArrayBuffer>;
}

// One place for the salt and info, so Web Crypto and node:crypto derive the same key.
export function hkdfParams(kind: ParsedKey['kind'], window: number) {
  return {
    salt: encoder.encode(`jwe-session/v1/${kind}`),
    info: encoder.encode(`jwe-session/v1/dir+A256GCM/window/${window}`),
  };
}

/** A secret as a non-extractable HKDF base key, imported once when the ring is built. */
export function importBase(material: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const p = crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveKey']);
  // Keep an import failure from surfacing as an unhandled rejection before first use.
  p.catch(() => {});
  return p;
}
