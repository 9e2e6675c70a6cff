// The opt-in `engine: 'node'`: the same compact JWE jose writes (dir + A256GCM, jose's header
// text, AAD = the ASCII of the encoded protected header, 12-byte IV, 16-byte tag), sealed and
// opened with synchronous node:crypto. One Web Crypto AES-GCM call costs several times its
// node:crypto equivalent in job scheduling and webidl glue; this engine skips that glue and
// makes a commit synchronous end to end. node:crypto is reached at run time through
// process.getBuiltinModule, never a static import, so the core still loads on any runtime.
import { decodeBase64url, encodeBase64url } from '../util/base64url.js';
import type { ProtectedHeader } from './token-format.js';

// The few node:crypto members used, typed here so the core needs no Node types.
interface Cipher {
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  setAAD(aad: Uint8Array): unknown;
  getAuthTag(): Uint8Array;
  setAuthTag(tag: Uint8Array): unknown;
}
interface NodeCrypto {
  createCipheriv(alg: string, key: unknown, iv: Uint8Array, options: object): Cipher;
  createDecipheriv(alg: string, key: unknown, iv: Uint8Array, options: object): Cipher;
  KeyObject: { from(key: CryptoKey): unknown };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';
// Never a truncated tag: node would otherwise accept a shorter one set with setAuthTag.
const GCM = { authTagLength: TAG_BYTES } as const;

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** node:crypto, if this runtime has it and lets it be reached without an import. */
export function reachNodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const found = proc?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    return typeof found?.createCipheriv === 'function' &&
      typeof found.createDecipheriv === 'function' &&
      typeof found.KeyObject?.from === 'function'
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

/** AES-256-GCM on node:crypto, over the window keys the key ring derives with Web Crypto. */
export class NodeEngine {
  readonly #crypto: NodeCrypto;
  // The ring's window CryptoKeys, as node KeyObjects (works for non-extractable keys: the
  // secret is never copied into JavaScript). Weak, so a key the ring drops goes too.
  readonly #keys = new WeakMap<CryptoKey, unknown>();

  constructor(nodeCrypto: NodeCrypto) {
    this.#crypto = nodeCrypto;
  }

  #keyObject(key: CryptoKey): unknown {
    let object = this.#keys.get(key);
    if (object === undefined) {
      object = this.#crypto.KeyObject.from(key);
      this.#keys.set(key, object);
    }
    return object;
  }

  /** A compact JWE of `plaintext`, byte-for-byte the format jose's CompactEncrypt writes. */
  seal(key: CryptoKey, header: ProtectedHeader, plaintext: string): string {
    // jose writes the protected header as JSON.stringify of the object it was given.
    const encodedHeader = encodeBase64url(encoder.encode(JSON.stringify(header)));
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const cipher = this.#crypto.createCipheriv(CIPHER, this.#keyObject(key), iv, GCM);
    cipher.setAAD(encoder.encode(encodedHeader));
    const ciphertext = concat(cipher.update(encoder.encode(plaintext)), cipher.final());
    const tag = cipher.getAuthTag();
    return `${encodedHeader}..${encodeBase64url(iv)}.${encodeBase64url(ciphertext)}.${encodeBase64url(tag)}`;
  }

  /**
   * The plaintext of a token whose header was already read and checked (readHeader: five
   * segments, the allowlist, an empty encrypted key, canonical base64url), or undefined for
   * any failure: one answer for every way a token can be wrong, as with jose.
   */
  open(key: CryptoKey, token: string): string | undefined {
    const parts = token.split('.');
    if (parts.length !== 5 || parts[1] !== '') return undefined;
    const [encodedHeader, , ivText, ciphertextText, tagText] = parts as [
      string,
      string,
      string,
      string,
      string,
    ];
    const iv = decodeBase64url(ivText);
    const ciphertext = decodeBase64url(ciphertextText);
    const tag = decodeBase64url(tagText);
    if (!iv || !ciphertext || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      return undefined;
    }
    try {
      const decipher = this.#crypto.createDecipheriv(CIPHER, this.#keyObject(key), iv, GCM);
      decipher.setAAD(encoder.encode(encodedHeader));
      decipher.setAuthTag(tag);
      const plaintext = concat(decipher.update(ciphertext), decipher.final());
      return strictUtf8.decode(plaintext);
    } catch {
      return undefined;
    }
  }
}
