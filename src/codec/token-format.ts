// The token format, v1, in one place: every module that writes or reads a token (seal, unseal,
// the header checks, the store, the CLI, the node:crypto engine) takes its constants and
// layouts from here, so a change to the format is a change to this file and the vectors.
import { KEY_ID } from '../keys/key-entry.js';
import { type OptionalClaims, optionalClaimsJson, readOptionalClaims } from './optional-claims.js';

/** Key management: the window key is the content key (no encrypted key segment). */
export const ALG = 'dir';
/** Content encryption: AES-256-GCM, 12-byte IV, 16-byte tag. */
export const ENC = 'A256GCM';
/** The only compression a token may name (raw DEFLATE, RFC 7516 §4.1.3). */
export const ZIP = 'DEF';

/**
 * Length of one key window. Each window seals under its own HKDF-derived AES key, so the
 * 2^32-messages-per-key bound of AES-GCM with random nonces (NIST SP 800-38D) applies per
 * hour: over a million seals a second, sustained, before it is reached.
 */
export const WINDOW_SECONDS = 3600;

/** The window a token issued at `iat` (seconds) is sealed in. */
export function windowOf(iat: number): number {
  return Math.floor(iat / WINDOW_SECONDS);
}

const KID = /^([A-Za-z0-9_-]{1,32})\.(\d{1,10})$/;

/** The `kid` header value: `<key id>.<window>`. */
export function kidOf(keyId: string, window: number): string {
  return `${keyId}.${window}`;
}

/** Reads a `kid` built by `kidOf`, or undefined for anything else. */
export function parseKid(kid: unknown): { keyId: string; window: number } | undefined {
  const match = typeof kid === 'string' ? KID.exec(kid) : null;
  if (!match || !KEY_ID.test(match[1] as string)) return undefined;
  return { keyId: match[1] as string, window: Number(match[2]) };
}

// A type alias, not an interface: jose's header parameter type wants an index signature.
export type ProtectedHeader = {
  readonly alg: typeof ALG;
  readonly enc: typeof ENC;
  readonly kid: string;
  readonly zip?: typeof ZIP;
};

/**
 * The protected header a token is sealed with, members in this order: jose serialises it with
 * JSON.stringify, so the order is the header text, and the node:crypto engine writes the same.
 */
export function protectedHeaderOf(keyId: string, window: number, zip: boolean): ProtectedHeader {
  const kid = kidOf(keyId, window);
  return zip ? { alg: ALG, enc: ENC, kid, zip: ZIP } : { alg: ALG, enc: ENC, kid };
}

/** The claims every token carries, in seconds since the epoch (plus the optional ones). */
export interface Claims extends OptionalClaims {
  /** Purpose: cookie name and app purpose, checked on unseal. */
  readonly pur: string;
  /** Issued at: when this token was sealed. */
  readonly iat: number;
  /** Expires: the idle deadline, capped by the absolute one. */
  readonly exp: number;
  /** Origin: when the session began; the absolute lifetime counts from here. */
  readonly ori: number;
}

export type SessionRecord = Record<string, unknown>;

/** What goes into a token besides its claims, already serialised and checked. */
export interface SealBody {
  readonly dataJson: string;
  readonly flashJson: string | undefined;
}

/**
 * The plaintext: `{"pur","iat","exp","ori"[,"idl"][,"abs"][,"per"][,"v"][,"f"],"d"}` (the
 * optional claims only when used, see optional-claims.ts), built by concatenation: the data was
 * already serialised (and checked) once, to detect changes, and is not serialised again here.
 */
export function plaintextOf(claims: Claims, body: SealBody): string {
  return (
    `{"pur":${JSON.stringify(claims.pur)},"iat":${claims.iat},"exp":${claims.exp},"ori":${claims.ori}` +
    optionalClaimsJson(claims) +
    (body.flashJson === undefined ? '' : `,"f":${body.flashJson}`) +
    `,"d":${body.dataJson}}`
  );
}

function isRecord(value: unknown): value is SessionRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export interface PlaintextBody {
  readonly claims: Claims;
  readonly data: SessionRecord;
  readonly flash: SessionRecord | undefined;
}

/** Reads a parsed plaintext as the layout `plaintextOf` writes, or undefined if it is not. */
export function readPlaintext(body: unknown): PlaintextBody | undefined {
  if (!isRecord(body)) return undefined;
  const { pur, iat, exp, ori, d, f } = body;
  if (typeof pur !== 'string' || !isTime(iat) || !isTime(exp) || !isTime(ori)) return undefined;
  if (!isRecord(d) || (f !== undefined && !isRecord(f))) return undefined;
  const optional = readOptionalClaims(body);
  if (!optional) return undefined;
  // A null prototype means a key named "constructor" or "__proto__" is only ever data.
  Object.setPrototypeOf(d, null);
  if (f) Object.setPrototypeOf(f, null);
  return { claims: { pur, iat, exp, ori, ...optional }, data: d, flash: f };
}

/**
 * The data's JSON, cut from the plaintext when it has the layout `plaintextOf` writes (claims,
 * then `"d"` last) instead of serialising the data again on every request. The cut is the
 * text that JSON.stringify produced at seal time, which re-serialising the parse would give
 * back unchanged; any other layout falls back to JSON.stringify, so the worst a surprise can
 * do is make an unchanged session look changed once.
 *
 * Another writer may put members after "d" or repeat it (FORMAT.md: readers must not depend on
 * the order), and JSON.parse then reads the last "d": the text after `"d":` is the data's JSON
 * only when the object it opens closes right where the plaintext does. Checked by a scan of
 * the data's text (about 1 ns a character), not by parsing it again.
 */
export function dataJsonOf(plaintext: string, body: PlaintextBody): string {
  if (body.flash === undefined) {
    const head = plaintextOf(body.claims, { dataJson: '', flashJson: undefined }).slice(0, -1);
    if (
      plaintext.startsWith(head) &&
      plaintext.charCodeAt(head.length) === 0x7b /* { */ &&
      closeOf(plaintext, head.length) === plaintext.length - 1
    ) {
      return plaintext.slice(head.length, -1);
    }
  }
  return JSON.stringify(body.data);
}

/**
 * The index just past the object or array that opens at `start`, in a text JSON.parse accepted
 * (-1 if it does not close): brackets are counted outside strings, and each string is skipped
 * whole with a native search for its closing quote.
 */
function closeOf(json: string, start: number): number {
  let depth = 0;
  for (let i = start; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = closingQuote(json, i);
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

/** Where the string that opens at `open` ends: the next quote after an even run of backslashes. */
function closingQuote(json: string, open: number): number {
  let at = json.indexOf('"', open + 1);
  for (;;) {
    let backslashes = 0;
    while (json.charCodeAt(at - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (at < 0 || backslashes % 2 === 0) return at;
    at = json.indexOf('"', at + 1);
  }
}
