// Deterministic test keys. They are fixtures, not secrets: derived from a label so every run
// (and the checked-in vector) uses the same bytes, and distinct labels give distinct keys.
import { createHash } from 'node:crypto';

/** The 43-character base64url secret for a label: the substring that must never leak. */
export function secretFor(label: string): string {
  return createHash('sha256').update(`jwe-session core test key ${label}`).digest('base64url');
}

/** The raw 32 key bytes for a label. */
export function keyBytesFor(label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`jwe-session core test key ${label}`).digest());
}

/** A `SESSION_KEYS` entry `<id>:<43 base64url chars>`; the label defaults to the id. */
export function keyEntry(id: string, label: string = id): string {
  return `${id}:${secretFor(label)}`;
}

/** A passphrase of 40 varied characters, distinct per label. */
export function passphraseFor(label: string): string {
  return `pass-${createHash('sha256').update(label).digest('hex').slice(0, 35)}`;
}
