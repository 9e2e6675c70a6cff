import { bad, type SettingEntry } from '../options/checks.js';
import { decodeBase64url } from '../util/base64url.js';
import { weakness } from './key-strength.js';

/**
 * One key of a ring: a non-secret id (carried in every token's `kid`) and its secret.
 *
 * Text form, as used in `SESSION_KEYS` (comma-separated, first entry seals):
 *   `<id>:<43 base64url characters>`       a random 256-bit key (what `jwe-session keygen` prints)
 *   `<id>:passphrase:<32+ characters>`     a long passphrase, stretched with HKDF-SHA-256
 * The explicit `passphrase:` marker keeps the two forms unambiguous.
 */
export interface KeySpec {
  readonly id: string;
  /**
   * 32 random bytes, or text spelled as after the `<id>:` of a `SESSION_KEYS` entry: 43
   * base64url characters, or `passphrase:<at least 32 characters>`. The same text gives the
   * same key in code and in the environment, so moving a key between them changes nothing;
   * in both, whitespace around the text is not part of it.
   */
  readonly secret: Uint8Array | string;
}

export interface ParsedKey {
  readonly id: string;
  readonly kind: 'key' | 'passphrase';
  readonly material: Uint8Array<ArrayBuffer>;
}

// Key ids go into the JWE `kid` as `<id>.<window>`, so no dots; short, so cookies stay small.
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
export const KEY_BYTES = 32;
// 32 bytes in base64url without padding.
const KEY_CHARS = 43;
const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;
export const MIN_PASSPHRASE_LENGTH = 32;
// A 32-character passphrase of two letters repeated is not a secret; ask for some variety.
const MIN_PASSPHRASE_DISTINCT = 8;
const PASSPHRASE_MARKER = 'passphrase:';

/** Where an entry came from, for error messages: never the secret itself. */
export type EntryOrigin = SettingEntry;

// `"k1:…"`: what `docker run --env-file` passes for a value written with quotes, which it
// keeps as they are. Neither an id nor a key can hold a quote, so say what happened.
function refuseQuotes(text: string, origin: EntryOrigin): void {
  if (/^["']|["']$/.test(text)) {
    bad(
      origin,
      'is quoted, and the quotes became part of the value (docker run --env-file, for one, keeps them as written). Remove the quotes: no key entry starts or ends with one',
    );
  }
}

function checkId(id: string, origin: EntryOrigin): void {
  if (!KEY_ID.test(id)) {
    bad(
      origin,
      'has an invalid key id: use 1-32 characters from A-Z a-z 0-9 _ - before the first ":"',
    );
  }
}

function checkPassphrase(
  id: string,
  passphrase: string,
  origin: EntryOrigin,
): Uint8Array<ArrayBuffer> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    bad(
      origin,
      `(id "${id}") has a passphrase of ${passphrase.length} characters; at least ${MIN_PASSPHRASE_LENGTH} are required. Generate a key with: npx jwe-session keygen`,
    );
  }
  if (new Set(passphrase).size < MIN_PASSPHRASE_DISTINCT) {
    bad(
      origin,
      `(id "${id}") has a passphrase with fewer than ${MIN_PASSPHRASE_DISTINCT} distinct characters. Generate a key with: npx jwe-session keygen`,
    );
  }
  const codes = Array.from(passphrase, (c) => c.codePointAt(0) as number);
  const weak = weakness(codes, 'passphrase');
  if (weak !== undefined) {
    bad(
      origin,
      `(id "${id}") has a passphrase that ${weak}; it is not a secret. Generate a key with: npx jwe-session keygen`,
    );
  }
  return Uint8Array.from(new TextEncoder().encode(passphrase));
}

function checkKey(id: string, key: Uint8Array, origin: EntryOrigin): Uint8Array<ArrayBuffer> {
  if (key.length !== KEY_BYTES) {
    bad(
      origin,
      `(id "${id}") has a ${key.length}-byte key; keys must be exactly ${KEY_BYTES} random bytes (a passphrase is written passphrase:<text>). Generate a key with: npx jwe-session keygen`,
    );
  }
  if (key.every((b) => b === key[0])) {
    bad(
      origin,
      `(id "${id}") has a key whose bytes are all the same; it is not random. Generate a key with: npx jwe-session keygen`,
    );
  }
  const weak = weakness(key, 'key');
  if (weak !== undefined) {
    bad(
      origin,
      `(id "${id}") has a key that ${weak}; it is not random. Generate a key with: npx jwe-session keygen`,
    );
  }
  return Uint8Array.from(key);
}

/** Parses one `id:secret` text entry. Throws SessionConfigError naming the setting and position. */
export function parseKeyEntry(entry: string, origin: EntryOrigin): ParsedKey {
  if (entry === '') bad(origin, 'is empty: remove the extra comma');
  if (/^["']/.test(entry)) refuseQuotes(entry, origin);
  const colon = entry.indexOf(':');
  if (colon < 0) {
    bad(origin, 'has no key id: write it as <id>:<key>, e.g. the output of npx jwe-session keygen');
  }
  const id = entry.slice(0, colon);
  checkId(id, origin);
  return parseSecretText(id, entry.slice(colon + 1), origin);
}

/**
 * The part of a text entry after `<id>:`. Spaces, tabs and line breaks around it, and around
 * a passphrase after its `passphrase:` marker, are never part of the secret, wherever the
 * text came from: `SESSION_KEYS` (where a trailing newline or a space after a comma is
 * common), a list entry, or a `{ secret }` string. So the same text always opens the same
 * cookies.
 */
function parseSecretText(id: string, text: string, origin: EntryOrigin): ParsedKey {
  const rest = text.trim();
  if (rest.startsWith(PASSPHRASE_MARKER)) {
    const passphrase = rest.slice(PASSPHRASE_MARKER.length).trim();
    return { id, kind: 'passphrase', material: checkPassphrase(id, passphrase, origin) };
  }
  refuseQuotes(rest, origin);
  const key = decodeBase64url(rest);
  if (!key && BASE64URL_TEXT.test(rest) && rest.length !== KEY_CHARS) {
    // Too short or long to be any whole number of bytes (`k1:short`): the length is the problem.
    bad(
      origin,
      `(id "${id}") has a key of ${rest.length} characters; a key is exactly ${KEY_CHARS} base64url characters (${KEY_BYTES} random bytes), and a passphrase is written passphrase:<text>. Generate a key with: npx jwe-session keygen`,
    );
  }
  if (!key) {
    bad(
      origin,
      `(id "${id}") is not a base64url key; write <id>:<43 base64url characters>, or <id>:passphrase:<at least ${MIN_PASSPHRASE_LENGTH} characters>`,
    );
  }
  return { id, kind: 'key', material: checkKey(id, key, origin) };
}

/** Validates a key given in code. */
export function parseKeySpec(spec: KeySpec, origin: EntryOrigin): ParsedKey {
  if (typeof spec !== 'object' || spec === null) bad(origin, 'must be { id, secret }');
  if (typeof spec.id !== 'string') bad(origin, 'has no string id');
  checkId(spec.id, origin);
  if (typeof spec.secret === 'string') return parseSecretText(spec.id, spec.secret, origin);
  if (spec.secret instanceof Uint8Array) {
    return { id: spec.id, kind: 'key', material: checkKey(spec.id, spec.secret, origin) };
  }
  bad(
    origin,
    `(id "${spec.id}") must have a Uint8Array key or a key text (base64url, or passphrase:…) as secret`,
  );
}
