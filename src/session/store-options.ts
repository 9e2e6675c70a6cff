import type { CodecConfig } from '../codec/codec-config.js';
import { NodeEngine, reachNodeCrypto } from '../codec/node-engine.js';
import { TokenCache } from '../codec/token-cache.js';
import { WINDOW_SECONDS } from '../codec/token-format.js';
import { type CookieOptions, type ResolvedCookie, resolveCookie } from '../cookie/attributes.js';
import type { ChunkBudget } from '../cookie/chunking.js';
import {
  BROWSER_COOKIE_BYTES,
  DEFAULT_MAX_TOTAL_BYTES,
  MAX_CHUNKS,
  MIN_COOKIE_BYTES,
} from '../cookie/limits.js';
import { SessionConfigError } from '../errors.js';
import { type Env, processEnv } from '../keys/from-env.js';
import { KeyRing, type KeysInput } from '../keys/key-ring.js';
import { keysOnFirstUse } from '../keys/keys-on-first-use.js';
import type { DataShapeOptions } from './data-shape.js';
import { type EventHook, type Hooks, type RejectionHook, resolveHooks } from './hooks.js';
import { KNOWN_COOKIE_OPTIONS, refuseUnknown } from './known-options.js';
import { parseNotBefore } from './not-before.js';

const DAY = 24 * 3600;

export interface SessionStoreOptions {
  /** Default `session`. Bound into every token: a cookie sealed under one name fails under another. */
  readonly cookieName?: string;
  /**
   * Keys, first seals and all unseal: `SESSION_KEYS`-style text, a list of entries, or a
   * KeyRing. Default: read from the environment variable named by `keysEnv`.
   */
  readonly keys?: KeysInput;
  /** Default `SESSION_KEYS`. */
  readonly keysEnv?: string;
  /** An app-chosen label bound into every token, e.g. `"shop-admin"`. Default none. */
  readonly purpose?: string;
  /** Seconds without a request after which a session ends. Default 7 days. */
  readonly idleTimeout?: number;
  /**
   * Seconds after creation after which a session ends, however active. Default 30 days, or
   * the idle timeout if that is longer.
   */
  readonly absoluteTimeout?: number;
  /**
   * Share of the idle timeout after which an unchanged session is sealed again (moving its
   * idle deadline). 0.25 with a 7-day idle timeout re-issues at most every 42 hours. Default 0.25.
   */
  readonly refreshAfter?: number;
  /** Seconds of clock skew between servers tolerated on every time check. Default 30. */
  readonly clockTolerance?: number;
  readonly cookie?: CookieOptions;
  /** Longest Set-Cookie line per chunk, in bytes. Default and maximum 4096. */
  readonly maxCookieBytes?: number;
  /** Most bytes the session's cookies may add to a request's Cookie header. Default 6144. */
  readonly maxTotalBytes?: number;
  /** Compress (JWE zip DEF) before sealing. Default false; read the README before turning it on. */
  readonly compress?: boolean;
  /**
   * Sessions created before this moment are rejected (mass logout). A Date, epoch seconds, or
   * an ISO string. Default: the `SESSION_NOT_BEFORE` environment variable, if set.
   */
  readonly notBefore?: Date | number | string;
  /**
   * Tokens remembered once opened or sealed here, so repeat reads skip the AES call (claims
   * are still checked on every hit). 0 turns it off. Default 1000.
   */
  readonly cacheSize?: number;
  /**
   * What seals and opens tokens. `'webcrypto'` (default): jose on Web Crypto, on any runtime.
   * `'node'`: AES-256-GCM on synchronous node:crypto, the same tokens byte for byte (either
   * engine opens the other's), several times faster per call, and a commit that needs no
   * await. Node only (20.16+, for `process.getBuiltinModule`). Compressed tokens still go
   * through jose.
   */
  readonly engine?: 'webcrypto' | 'node';
  /** The environment to read `keysEnv` and `SESSION_NOT_BEFORE` from. Default `process.env`. */
  readonly env?: Env;
  /** Current time in milliseconds. For tests. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Called once per refused cookie, with the rejection (reason, detail, and `sealed` when the
   * token was authentic) and the cookie name; never with the token or its data. What it
   * throws or rejects with is traced under NODE_DEBUG and never fails the request.
   */
  readonly onRejection?: RejectionHook;
  /** Called for re-seals after key rotation, size failures and data migrations; guarded like `onRejection`. */
  readonly onEvent?: EventHook;
}

export interface StoreConfig {
  readonly codec: CodecConfig;
  readonly cookie: ResolvedCookie;
  readonly budget: ChunkBudget;
  readonly refreshAfter: number;
  readonly hooks: Hooks;
  /**
   * The key ring, read at every call until configured keys are found; environment keys
   * missing outside development throw here, at first use.
   */
  readonly keys: () => KeyRing;
}

/** Everything createSessionStore takes: the store's options and the data-shape ones. */
export type AllStoreOptions = SessionStoreOptions & DataShapeOptions<Record<string, unknown>>;

/**
 * Every option `createSessionStore` takes: one entry per property of the option types. The mapped types make a forgotten or extra name a type error, so an
 * option added to SessionStoreOptions must be added here too, or the build fails.
 */
const STORE_OPTIONS: { readonly [K in keyof Required<AllStoreOptions>]: true } = {
  cookieName: true,
  keys: true,
  keysEnv: true,
  purpose: true,
  idleTimeout: true,
  absoluteTimeout: true,
  refreshAfter: true,
  clockTolerance: true,
  cookie: true,
  maxCookieBytes: true,
  maxTotalBytes: true,
  compress: true,
  notBefore: true,
  cacheSize: true,
  env: true,
  now: true,
  engine: true,
  onRejection: true,
  onEvent: true,
  version: true,
  migrate: true,
  schema: true,
};

export const KNOWN_STORE_OPTIONS = Object.keys(STORE_OPTIONS) as (keyof AllStoreOptions)[];

function bad(setting: string, message: string): never {
  throw new SessionConfigError(setting, message);
}

function integer(
  setting: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    bad(setting, `${String(value)} is invalid: use whole seconds from ${min} to ${max}`);
  }
  return value;
}

function resolveEngine(engine: unknown): NodeEngine | undefined {
  if (engine === undefined || engine === 'webcrypto') return undefined;
  if (engine !== 'node')
    bad('engine', `${JSON.stringify(String(engine))} is invalid: use 'webcrypto' or 'node'`);
  const nodeCrypto = reachNodeCrypto();
  if (nodeCrypto === undefined) {
    bad(
      'engine',
      "'node' needs node:crypto through process.getBuiltinModule (Node 20.16 or later); this runtime has none: leave engine unset (Web Crypto)",
    );
  }
  return new NodeEngine(nodeCrypto);
}

/**
 * The idle and absolute lifetimes with their defaults: the store and the CLI (`rotate`'s wait,
 * `decode`'s verdict) both take them from here, so neither can restate a default differently.
 */
export function resolveLifetimes(
  options: Pick<SessionStoreOptions, 'idleTimeout' | 'absoluteTimeout'>,
): { readonly idleTimeout: number; readonly absoluteTimeout: number } {
  const idleTimeout = integer('idleTimeout', options.idleTimeout, 7 * DAY, 60, 400 * DAY);
  // Unset, the absolute lifetime is never shorter than an idle timeout the app chose: a 40-day
  // idle timeout under a silent 30-day cap would not do what it says.
  const absoluteTimeout = integer(
    'absoluteTimeout',
    options.absoluteTimeout,
    Math.max(30 * DAY, idleTimeout),
    60,
    400 * DAY,
  );
  if (
    absoluteTimeout < idleTimeout &&
    options.absoluteTimeout !== undefined &&
    options.idleTimeout !== undefined
  ) {
    bad(
      'absoluteTimeout',
      `${absoluteTimeout} is shorter than idleTimeout (${idleTimeout}); the idle timeout could never apply`,
    );
  }
  return { idleTimeout, absoluteTimeout };
}

/** Validates every option once, when the store is created; errors name the option. */
export function resolveOptions(options: SessionStoreOptions): StoreConfig {
  if (typeof options !== 'object' || options === null) bad('options', 'must be an object');
  refuseUnknown(options, KNOWN_STORE_OPTIONS, '');
  if (typeof options.cookie === 'object' && options.cookie !== null) {
    refuseUnknown(options.cookie, KNOWN_COOKIE_OPTIONS, 'cookie.');
  }
  const env = options.env ?? processEnv();
  const cookieName = options.cookieName ?? 'session';
  const cookie = resolveCookie(cookieName, options.cookie);
  const keysEnv = options.keysEnv ?? 'SESSION_KEYS';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keysEnv))
    bad('keysEnv', `${JSON.stringify(keysEnv)} is not an environment variable name`);
  const given = options.keys === undefined ? undefined : KeyRing.from(options.keys, 'keys');
  const ringOf = given === undefined ? keysOnFirstUse(keysEnv, env) : () => given;
  const purpose = options.purpose;
  if (
    purpose !== undefined &&
    (typeof purpose !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(purpose))
  ) {
    bad('purpose', 'must be 1-100 printable ASCII characters without spaces');
  }
  const { idleTimeout, absoluteTimeout } = resolveLifetimes(options);
  const refreshAfter = options.refreshAfter ?? 0.25;
  if (typeof refreshAfter !== 'number' || !(refreshAfter >= 0 && refreshAfter <= 1)) {
    bad(
      'refreshAfter',
      `${String(refreshAfter)} is invalid: use a share of the idle timeout from 0 (every request) to 1`,
    );
  }
  const clockTolerance = integer('clockTolerance', options.clockTolerance, 30, 0, 600);
  // Every window the store accepts stays cached: fitted now for a ring the app gave, and for
  // one from the environment when it is first resolved.
  // (idle timeout plus clock tolerance on both sides, and the windows at either end).
  const windowSpan = Math.ceil((idleTimeout + 2 * clockTolerance) / WINDOW_SECONDS) + 2;
  given?.fitWindowCache(windowSpan);
  const cacheSize = integer('cacheSize', options.cacheSize, 1000, 0, 1_000_000);
  let cache = cacheSize > 0 ? new TokenCache(cacheSize) : undefined;
  // The ring changes at most once: from the made-up development key to the configured one,
  // when that arrives after the store was created. Tokens the old ring opened or sealed must
  // not be served from the cache any more, so the cache starts again with the new ring.
  let current: KeyRing | undefined;
  const keys = (): KeyRing => {
    const ring = ringOf();
    if (ring !== current) {
      ring.fitWindowCache(windowSpan);
      if (current !== undefined && cache !== undefined) cache = new TokenCache(cacheSize);
      current = ring;
    }
    return ring;
  };
  const cookieBytes = integer(
    'maxCookieBytes',
    options.maxCookieBytes,
    BROWSER_COOKIE_BYTES,
    MIN_COOKIE_BYTES,
    BROWSER_COOKIE_BYTES,
  );
  const totalBytes = integer(
    'maxTotalBytes',
    options.maxTotalBytes,
    Math.max(DEFAULT_MAX_TOTAL_BYTES, cookieBytes),
    MIN_COOKIE_BYTES,
    MAX_CHUNKS * BROWSER_COOKIE_BYTES,
  );
  const compress = options.compress ?? false;
  if (typeof compress !== 'boolean') bad('compress', 'must be true or false');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') bad('now', 'must be a function returning milliseconds');
  const engine = resolveEngine(options.engine);
  const notBeforeInput = options.notBefore ?? env.SESSION_NOT_BEFORE;
  const notBefore =
    notBeforeInput === undefined || notBeforeInput === ''
      ? undefined
      : parseNotBefore(
          options.notBefore === undefined ? 'SESSION_NOT_BEFORE' : 'notBefore',
          notBeforeInput,
          Math.floor(now() / 1000),
          clockTolerance,
        );
  return {
    codec: {
      purpose: purpose === undefined ? cookieName : `${cookieName}/${purpose}`,
      compress,
      engine,
      // Joined chunks can be no longer than the total budget; anything longer is not ours.
      maxTokenChars: totalBytes,
      idleTimeout,
      absoluteTimeout,
      clockTolerance,
      notBefore,
      get cache() {
        return cache;
      },
      now,
    },
    cookie,
    budget: { cookieBytes, totalBytes },
    refreshAfter,
    hooks: resolveHooks(options),
    keys,
  };
}
