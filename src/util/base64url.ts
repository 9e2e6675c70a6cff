// base64url without padding (RFC 4648 §5), as JWS/JWE use it. Plain JavaScript, no atob or
// Buffer: the core must run outside Node too, and a table walk over a short header is several
// times faster than atob plus the re-encoding it would need to prove the input canonical.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Character code → 6-bit value, or -1 for anything outside the alphabet.
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function valueAt(input: string, index: number): number {
  const code = input.charCodeAt(index);
  return code < 128 ? (VALUE[code] as number) : -1;
}

/**
 * True if `input` is the one canonical base64url spelling of some bytes: alphabet only, no
 * padding or whitespace, no stray low bits in the last character. Checked without decoding,
 * for segments that jose decodes leniently (atob skips whitespace and '=', ignores stray bits).
 */
export function isCanonicalBase64url(input: string): boolean {
  // The regular expression scans long segments (the ciphertext) faster than a loop here.
  if (!BASE64URL.test(input)) return false;
  const rest = input.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  return (valueAt(input, input.length - 1) & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** Decodes base64url to bytes, or returns undefined for anything that is not canonical base64url. */
export function decodeBase64url(input: string): Uint8Array | undefined {
  return isCanonicalBase64url(input) ? decodeCanonicalBase64url(input) : undefined;
}

/**
 * Decodes text already known to be canonical base64url (a token segment readHeader checked),
 * without checking it again. Anything else decodes to garbage, never to an error.
 */
export function decodeCanonicalBase64url(input: string): Uint8Array {
  const length = input.length;
  const bytes = new Uint8Array((length * 3) >> 2);
  let out = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const n =
      (valueAt(input, i) << 18) |
      (valueAt(input, i + 1) << 12) |
      (valueAt(input, i + 2) << 6) |
      valueAt(input, i + 3);
    bytes[out++] = n >> 16;
    bytes[out++] = (n >> 8) & 0xff;
    bytes[out++] = n & 0xff;
  }
  if (length - i === 2) {
    bytes[out] = (valueAt(input, i) << 2) | (valueAt(input, i + 1) >> 4);
  } else if (length - i === 3) {
    const n = (valueAt(input, i) << 12) | (valueAt(input, i + 1) << 6) | valueAt(input, i + 2);
    bytes[out++] = n >> 10;
    bytes[out] = (n >> 2) & 0xff;
  }
  return bytes;
}

export function encodeBase64url(bytes: Uint8Array): string {
  // A table walk, three bytes to four characters: for an IV (every seal) several times faster
  // than btoa over a binary string and three regular-expression replacements.
  let out = '';
  const whole = bytes.length - (bytes.length % 3);
  let i = 0;
  for (; i < whole; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET.charAt(n >> 18) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - whole;
  if (rest === 1) {
    const n = bytes[i] as number;
    out += ALPHABET.charAt(n >> 2) + ALPHABET.charAt((n & 3) << 4);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    out +=
      ALPHABET.charAt(n >> 10) + ALPHABET.charAt((n >> 4) & 63) + ALPHABET.charAt((n & 15) << 2);
  }
  return out;
}
