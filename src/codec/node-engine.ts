// The opt-in `engine: 'node'`: the same compact JWE jose writes (dir + A256GCM, jose's header
// text, AAD = the ASCII of the encoded protected header, 12-byte IV, 16-byte tag), sealed and
// opened with synchronous node:crypto. One Web Crypto AES-GCM call costs several times its
// node:crypto equivalent in job scheduling and webidl glue; this engine skips that glue and
// makes a commit synchronous end to end. node:crypto is reached at run time through
// process.getBuiltinModule, never a static import, so the core still loads on any runtime.
import type { KeyRing, WindowKeyInput } from '../keys/key-ring.js';
import { decodeCanonicalBase64url, encodeBase64url } from '../util/base64url.js';
import { BoundedMemo } from '../util/bounded-memo.js';
import { detached } from './detached.js';
import type { TokenSegments } from './header.js';
import type { ProtectedHeader } from './token-format.js';

// The few node:crypto members used, typed here so the core needs no Node types. Node does the
// base64url of the ciphertext and tag itself (its Buffer encodings): for a large session that
// is most of the work outside AES, and several times faster than a JavaScript loop.
interface Bytes {
  toString(encoding: 'base64url'): string;
}
interface Cipher {
  update(data: string, inputEncoding: 'utf8', outputEncoding: 'base64url'): string;
  update(data: string, inputEncoding: 'base64url'): Uint8Array;
  final(outputEncoding: 'base64url'): string;
  final(): Uint8Array;
  setAAD(aad: Uint8Array): unknown;
  getAuthTag(): Bytes;
  setAuthTag(tag: Uint8Array): unknown;
}
interface NodeCrypto {
  createCipheriv(alg: string, key: unknown, iv: Uint8Array, options: object): Cipher;
  randomBytes(size: number): Uint8Array & Bytes;
  randomFillSync<B extends Uint8Array>(buffer: B): B;
  createDecipheriv(alg: string, key: unknown, iv: Uint8Array, options: object): Cipher;
  hkdfSync(
    digest: 'sha256',
    secret: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): ArrayBuffer;
  createSecretKey(key: Uint8Array): EngineKey;
}

/** A window key as node:crypto holds it (a secret KeyObject). */
export type EngineKey = object;

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';
// Never a truncated tag: node would otherwise accept a shorter one set with setAuthTag.
const GCM = { authTagLength: TAG_BYTES } as const;
// Distinct header texts remembered: one per key and window in use, and a little slack.
const MAX_HEADERS = 16;

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The part of `process` that leads to node:crypto. */
export interface ProcessLike {
  readonly getBuiltinModule?: (id: string) => unknown;
}

/** node:crypto, if this runtime has it and lets it be reached without an import. */
export function reachNodeCrypto(
  proc: ProcessLike | undefined = (globalThis as { process?: ProcessLike }).process,
): NodeCrypto | undefined {
  try {
    const found = proc?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    return typeof found?.createCipheriv === 'function' &&
      typeof found.createDecipheriv === 'function' &&
      typeof found.randomFillSync === 'function' &&
      typeof found.randomBytes === 'function' &&
      typeof found.hkdfSync === 'function' &&
      typeof found.createSecretKey === 'function'
      ? (found as NodeCrypto)
      : undefined;
  } catch {
    return undefined;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** AES-256-GCM on node:crypto, over window keys derived as the key ring derives them. */
export class NodeEngine {
  readonly #crypto: NodeCrypto;
  readonly #derive: (input: WindowKeyInput) => EngineKey;
  // One key seals one header text per window: its base64url, and the same as the AAD bytes.
  readonly #headers = new BoundedMemo<string, { readonly text: string; readonly aad: Uint8Array }>(
    MAX_HEADERS,
  );
  // Header text → AAD bytes, for opening.
  readonly #openedHeaders = new BoundedMemo<string, Uint8Array>(MAX_HEADERS);
  // Where each seal's IV is drawn: createCipheriv copies it, and the token's text is made
  // from it before the next seal can draw again. A Buffer (made at the first seal), whose
  // base64url is one native call rather than a loop over its bytes.
  #iv: (Uint8Array & Bytes) | undefined;

  constructor(nodeCrypto: NodeCrypto) {
    this.#crypto = nodeCrypto;
    // HKDF-SHA-256 here and now, with the salt and info the ring's Web Crypto derivation uses,
    // so both engines hold the same key. Not KeyObject.from(the ring's CryptoKey): that is
    // deprecated for a non-extractable key (DEP0204, a warning from Node 24, later an error).
    this.#derive = ({ secret, salt, info }) =>
      nodeCrypto.createSecretKey(
        new Uint8Array(nodeCrypto.hkdfSync('sha256', secret, salt, info, KEY_BYTES)),
      );
  }

  /** The AES key of one key id and window of `ring`, synchronously (cached by the ring). */
  keyOf(ring: KeyRing, id: string, window: number): EngineKey {
    return ring.engineWindowKey(id, window, this.#derive);
  }

  // A fresh IV from the CSPRNG for every seal, never a pool: a VM snapshot or restore
  // (Lambda SnapStart, Firecracker) would replay a pool's unused IVs in every clone, and a
  // repeated GCM nonce under one key gives away the authentication key. node:crypto's own
  // randomFillSync, not Web Crypto's getRandomValues over it: the same OpenSSL generator,
  // without the webidl checks and the new array (about 0.5 µs of the 1.5-2 µs a draw costs).
  #nextIv(): Uint8Array {
    this.#iv ??= this.#crypto.randomBytes(IV_BYTES);
    return this.#crypto.randomFillSync(this.#iv);
  }

  // jose writes the protected header as base64url(JSON.stringify(header)). Its members are
  // two constants, the kid and zip, so those two name the text.
  #encodedHeader(header: ProtectedHeader): { readonly text: string; readonly aad: Uint8Array } {
    const name = header.zip === undefined ? header.kid : `${header.kid} ${header.zip}`;
    let encoded = this.#headers.get(name);
    if (encoded === undefined) {
      const text = encodeBase64url(encoder.encode(JSON.stringify(header)));
      encoded = { text, aad: encoder.encode(text) };
      this.#headers.set(name, encoded);
    }
    return encoded;
  }

  // The AAD of a token being opened: its header text as bytes, remembered for the few header
  // texts that pass readHeader (which bounds them) rather than encoded on every open.
  #aadOf(encodedHeader: string): Uint8Array {
    let aad = this.#openedHeaders.get(encodedHeader);
    if (aad === undefined) {
      aad = encoder.encode(encodedHeader);
      // A copy: the text is cut from the request's Cookie header, which it would keep alive.
      this.#openedHeaders.set(detached(encodedHeader), aad);
    }
    return aad;
  }

  /** A compact JWE of `plaintext`, byte-for-byte the format jose's CompactEncrypt writes. */
  seal(key: EngineKey, header: ProtectedHeader, plaintext: string): string {
    const encodedHeader = this.#encodedHeader(header);
    const iv = this.#nextIv();
    const cipher = this.#crypto.createCipheriv(CIPHER, key, iv, GCM);
    cipher.setAAD(encodedHeader.aad);
    const ciphertext = cipher.update(plaintext, 'utf8', 'base64url') + cipher.final('base64url');
    const tag = cipher.getAuthTag().toString('base64url');
    // Node, Bun and Deno hand back the Buffer they filled; a runtime that hands back another
    // view of its memory (workerd does) gets the portable encoding.
    const own = this.#iv;
    const ivText =
      iv === own && own !== undefined ? own.toString('base64url') : encodeBase64url(iv);
    return `${encodedHeader.text}..${ivText}.${ciphertext}.${tag}`;
  }

  /**
   * The plaintext of a token whose header was read and checked by readHeader (five segments,
   * the allowlist, an empty encrypted key, every segment canonical base64url: Node decodes
   * base64url leniently, so that check is what keeps one token from having many spellings),
   * or undefined for any failure: one answer for every way a token can be wrong, as with jose.
   */
  open(key: EngineKey, segments: TokenSegments): string | undefined {
    const [encodedHeader, encryptedKey, ivText, ciphertextText, tagText] = segments;
    if (encryptedKey !== '') return undefined;
    // Checked canonical by readHeader already: decoded without a second check.
    const iv = decodeCanonicalBase64url(ivText);
    const tag = decodeCanonicalBase64url(tagText);
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
    try {
      const decipher = this.#crypto.createDecipheriv(CIPHER, key, iv, GCM);
      decipher.setAAD(this.#aadOf(encodedHeader));
      decipher.setAuthTag(tag);
      const plaintext = concat(decipher.update(ciphertextText, 'base64url'), decipher.final());
      return strictUtf8.decode(plaintext);
    } catch {
      return undefined;
    }
  }
}
