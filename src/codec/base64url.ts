// base64url without padding (RFC 4648 §5), as JWS/JWE use it. Web-standard atob/btoa only:
// the core must run outside Node too.

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes base64url to bytes, or returns undefined for anything that is not canonical base64url. */
export function decodeBase64url(input: string): Uint8Array | undefined {
  if (!BASE64URL.test(input) || input.length % 4 === 1) return undefined;
  let binary: string;
  try {
    binary = atob(input.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Reject non-canonical encodings (stray low bits in the last character), so one key or
  // token has exactly one spelling.
  if (encodeBase64url(bytes) !== input) return undefined;
  return bytes;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * True if `input` is the one canonical base64url spelling of some bytes: alphabet only, no
 * padding or whitespace, no stray low bits in the last character. Checked without decoding,
 * for segments that jose decodes leniently (atob skips whitespace and '=', ignores stray bits).
 */
export function isCanonicalBase64url(input: string): boolean {
  if (!BASE64URL.test(input)) return false;
  const rest = input.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = ALPHABET.indexOf(input[input.length - 1] as string);
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

export function encodeBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}
