// Tokens made by hand under a store's real window keys: authentic, so only the guard a test is
// about can stop them (a bad header member, a bad claim), never the AES tag.
import { CompactEncrypt } from 'jose';
import { WINDOW_SECONDS } from '../../src/codec/token-format.js';
import type { SessionStore } from '../../src/index.js';

export interface ForgeOptions {
  readonly keyId?: string;
  /** Defaults to the window of `iat`. */
  readonly window?: number;
  /** Replaces or adds protected header members; `undefined` removes one. */
  readonly header?: Record<string, unknown>;
  /** Passed to jose's encrypt, e.g. `{ crit: { x: true } }` so it will write a crit header. */
  readonly encryptOptions?: Parameters<CompactEncrypt['encrypt']>[1];
}

export interface Payload {
  pur: string;
  iat: number;
  exp: number;
  ori: number;
  d: unknown;
  f?: unknown;
}

/** Encrypts `payload` (or raw plaintext) as `dir` + `A256GCM` under the ring's real key. */
export async function forge(
  store: SessionStore,
  payload: Payload | string,
  options: ForgeOptions = {},
): Promise<string> {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const iat = typeof payload === 'string' ? 0 : payload.iat;
  const keyId = options.keyId ?? store.keyRing.primaryId;
  const window = options.window ?? Math.floor(iat / WINDOW_SECONDS);
  const key = await store.keyRing.windowKey(keyId, window);
  const header: Record<string, unknown> = {
    alg: 'dir',
    enc: 'A256GCM',
    kid: `${keyId}.${window}`,
    ...options.header,
  };
  for (const name of Object.keys(header)) if (header[name] === undefined) delete header[name];
  return new CompactEncrypt(new TextEncoder().encode(text))
    .setProtectedHeader(header as { alg: string; enc: string })
    .encrypt(key, options.encryptOptions);
}

export function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

/** The protected header of a compact token, decoded. */
export function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
}
