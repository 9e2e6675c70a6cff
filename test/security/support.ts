// Shared fixtures for the attack suite and the fuzz run: fixed keys, a movable clock, and a
// way to forge tokens under the ring's real window keys, so each test reaches exactly the
// guard it is about (a forged token with good crypto and one bad claim, say).
import { createHash } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import {
  createSessionStore,
  type Session,
  type SessionStore,
  type SessionStoreOptions,
} from '../../src/index.js';

/** 12:30 UTC: half an hour into a key window, so "a little in the future" stays in it. */
export const NOW_MS = Date.UTC(2026, 0, 15, 12, 30, 0);
export const NOW = NOW_MS / 1000;
export const WINDOW = Math.floor(NOW / 3600);

/** A deterministic test key entry (`id:<43 base64url chars>`), distinct per label. */
export function keyEntry(id: string, label: string = id): string {
  return `${id}:${secretOf(label)}`;
}

/** The base64url secret inside keyEntry(…, label): what must never leak. */
export function secretOf(label: string): string {
  return createHash('sha256').update(`jwe-session test key ${label}`).digest('base64url');
}

export const KEYS = keyEntry('k1');

export class Clock {
  ms = NOW_MS;
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/**
 * The engine the attack suite runs on: the default ('auto', node:crypto on Node) in vitest's
 * default project, and `'webcrypto'` in its `webcrypto-engine` project (JWE_TEST_ENGINE), so
 * every guard is tried against both engines.
 */
export function testEngine(): NonNullable<SessionStoreOptions['advanced']> {
  const engine = process.env.JWE_TEST_ENGINE;
  return engine === 'node' || engine === 'webcrypto' ? { engine } : {};
}

/** A store on the test keys and a fixed clock, ignoring the real environment. */
export function makeStore(
  options: SessionStoreOptions = {},
  clock: Clock = new Clock(),
): SessionStore {
  return createSessionStore({
    keys: KEYS,
    ...options,
    testing: { env: {}, now: clock.now, ...options.testing },
    advanced: { cacheSize: 0, ...testEngine(), ...options.advanced },
  });
}

/** The Cookie header a browser would send back after these Set-Cookie lines. */
export function cookieHeaderOf(setCookies: readonly string[]): string {
  return setCookies
    .filter((line) => !/;\s*Max-Age=0(;|$)/i.test(line))
    .map((line) => line.split(';')[0] as string)
    .join('; ');
}

/** The cookies a browser would send back, as name → value. */
export function cookiesOf(setCookies: readonly string[]): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of cookieHeaderOf(setCookies).split('; ')) {
    const eq = pair.indexOf('=');
    cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return cookies;
}

export function headerOf(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Seals `data` as a new session and returns the Set-Cookie lines. */
export async function sealSession(
  store: SessionStore,
  data: Record<string, unknown>,
): Promise<string[]> {
  const session = (await store.load(undefined)) as Session<Record<string, unknown>>;
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  return store.commit(session as Session);
}

export interface Payload {
  pur?: string;
  iat?: number;
  exp?: number;
  ori?: number;
  d?: unknown;
  f?: unknown;
}

/** A plaintext as seal writes it, with claims valid at NOW unless overridden. */
export function plaintext(payload: Payload = {}): string {
  return JSON.stringify({
    pur: 'session',
    iat: NOW,
    exp: NOW + 3600,
    ori: NOW,
    d: { user: 'forged' },
    ...payload,
  });
}

export interface ForgeOptions {
  keyId?: string;
  window?: number;
  /** Extra or replacing protected header members. */
  header?: Record<string, unknown>;
  /** Passed to jose's encrypt, e.g. `{ crit: { x: true } }` to let it write a crit header. */
  encryptOptions?: Parameters<CompactEncrypt['encrypt']>[1];
}

/**
 * Encrypts any plaintext with the ring's real key for a window: the token is authentic, so
 * only the guard under test can stop it.
 */
export async function forge(
  store: SessionStore,
  text: string | Uint8Array,
  options: ForgeOptions = {},
): Promise<string> {
  const keyId = options.keyId ?? store.keyRing.primaryId;
  const window = options.window ?? WINDOW;
  const key = await store.keyRing.windowKey(keyId, window);
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return new CompactEncrypt(bytes)
    .setProtectedHeader({
      alg: 'dir',
      enc: 'A256GCM',
      kid: `${keyId}.${window}`,
      ...options.header,
    })
    .encrypt(key, options.encryptOptions);
}

export function b64(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Buffer.from(text).toString('base64url');
}

/** Replaces segment `index` of a compact token. */
export function withSegment(token: string, index: number, value: string): string {
  const parts = token.split('.');
  parts[index] = value;
  return parts.join('.');
}

export function segment(token: string, index: number): string {
  return token.split('.')[index] as string;
}
