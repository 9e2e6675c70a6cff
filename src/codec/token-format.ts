// The token format, v1, in one place: every module that writes or reads a token (seal, unseal,
// the header checks, the store, the CLI, the node:crypto engine) takes its constants and
// layouts from here, so a change to the format is a change to this file and the vectors.
import { KEY_ID } from '../keys/key-entry.js';
import { isRecord } from './json-value.js';
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
 * The plaintext: `{"pur","iat","exp","ori"[,"idl"][,"abs"][,"per"][,"v"][,"sid"][,"sub"][,"orm"][,"f"],"d"}` (the
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

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export interface PlaintextBody {
  readonly claims: Claims;
  readonly data: SessionRecord;
  readonly flash: SessionRecord | undefined;
  /**
   * The data's JSON, for change detection and for the token cache to parse at its first hit: for a
   * token of ours, the text JSON.stringify gave at seal time, which serialising the data again
   * would give back unchanged.
   */
  readonly dataJson: string;
}

/**
 * Reads a parsed plaintext as the layout `plaintextOf` writes, or undefined if it is not;
 * `dataJson` is the text the data parsed from, when it was parsed on its own.
 */
function readBody(body: unknown, dataJson: string | undefined): PlaintextBody | undefined {
  if (!isRecord(body)) return undefined;
  const { pur, iat, exp, ori, d, f } = body;
  if (typeof pur !== 'string' || !isTime(iat) || !isTime(exp) || !isTime(ori)) return undefined;
  if (!isRecord(d) || (f !== undefined && !isRecord(f))) return undefined;
  const optional = readOptionalClaims(body);
  if (!optional) return undefined;
  // A null prototype means a key named "constructor" or "__proto__" is only ever data.
  Object.setPrototypeOf(d, null);
  if (f) Object.setPrototypeOf(f, null);
  const claims = { pur, iat, exp, ori, ...optional };
  return { claims, data: d, flash: f, dataJson: dataJson ?? JSON.stringify(d) };
}

/** JSON.parse, with undefined (which no JSON text gives) for a text that is not JSON. */
function parsed(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

const DATA_MEMBER = ',"d":';

/**
 * Reads a plaintext (its depth already checked), or undefined if it is not a session payload.
 *
 * The layout `plaintextOf` writes is parsed as two texts, split at the first `,"d":`: the
 * members before it, and the data after it up to the closing brace. The data's JSON is then
 * that text, cut from the plaintext instead of serialising the data again, and exactly what
 * the data parsed from. `,"d":` never occurs inside a JSON string (a quote there is escaped),
 * so the split is at a member named "d"; the two texts both parse only when it is the
 * top-level "d" and nothing follows its value. Anything else another writer may send
 * (FORMAT.md: readers must not depend on the order), such as a member after "d" or "d" twice,
 * is parsed whole, and the data serialised. Either way the result is what JSON.parse reads
 * from the whole plaintext, a repeated member counting as its last occurrence.
 */
export function readPlaintext(plaintext: string): PlaintextBody | undefined {
  const at = plaintext.indexOf(DATA_MEMBER);
  if (at > 0 && plaintext.endsWith('}')) {
    const members = parsed(`${plaintext.slice(0, at)}}`);
    const dataJson = plaintext.slice(at + DATA_MEMBER.length, -1);
    const data = members === undefined ? undefined : parsed(dataJson);
    if (isRecord(members) && data !== undefined) {
      // As JSON.parse would have it: the "d" that comes last wins.
      members.d = data;
      return readBody(members, dataJson);
    }
  }
  return readBody(parsed(plaintext), undefined);
}
