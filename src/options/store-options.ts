import type { Env } from '../keys/from-env.js';
import type { KeySpec } from '../keys/key-entry.js';
import type { RevocationStore } from '../revocation/revocation-store.js';
import type { EventHook, RejectionHook } from '../session/hooks.js';
import type { StandardSchemaV1 } from '../standard-schema.js';
import type { AnySessionData } from '../types.js';
import type { CrossSiteOption } from './cross-site-option.js';

export type { CrossSiteOption, CrossSiteOptions } from './cross-site-option.js';

/**
 * The keys: `SESSION_KEYS`-style text (`id:secret,id:secret`, the first one seals), a list of
 * entries, or `{ env: 'NAME' }` to read that environment variable. Default
 * `{ env: 'SESSION_KEYS' }`, read at first use and again until keys appear (in development
 * a made-up key stands in meanwhile).
 */
export type KeysOption = string | readonly (string | KeySpec)[] | { readonly env: string };

/** The cookie the session travels in: its name, attributes and size budget. */
export interface CookieOptions {
  /** Default `session`. Bound into every token: a cookie sealed under one name fails under another. */
  readonly name?: string;
  /** Send only over HTTPS. Default true; turn off only for plain-http development. */
  readonly secure?: boolean;
  /** Hide from page scripts. Default true. */
  readonly httpOnly?: boolean;
  /** Default 'lax'. 'none' requires secure. */
  readonly sameSite?: 'lax' | 'strict' | 'none';
  /** Default '/'. */
  readonly path?: string;
  /** Default: none (host-only, the safest). */
  readonly domain?: string;
  /** CHIPS partitioned cookie. Default false. */
  readonly partitioned?: boolean;
  /** Default: none (browsers treat it as medium). */
  readonly priority?: 'low' | 'medium' | 'high';
  /** Longest Set-Cookie line per chunk, in bytes. Default and maximum 4096 (what browsers keep). */
  readonly maxChunkBytes?: number;
  /**
   * Most bytes the session's cookies may add to a request's Cookie header. Default 6144,
   * below the 8 KB header limit common servers and proxies apply.
   */
  readonly maxTotalBytes?: number;
}

/** How long sessions last. Every time is in whole seconds. */
export interface LifetimeOptions {
  /** Seconds without a request after which a session ends. Default 7 days. */
  readonly idleTimeout?: number;
  /**
   * Seconds after creation after which a session ends, however active. Default 30 days, or
   * the idle timeout if that is longer.
   */
  readonly absoluteTimeout?: number;
  /**
   * Give the cookie a Max-Age matching the session's expiry, so it survives a browser restart.
   * Default true; false makes it a browser-session cookie (the server still enforces expiry).
   * A session can narrow it (and the timeouts) with `session.options()`.
   */
  readonly persistent?: boolean;
  /**
   * Share of the idle timeout after which an unchanged session is sealed again (moving its
   * idle deadline). 0.25 with a 7-day idle timeout re-issues at most every 42 hours. Default 0.25.
   */
  readonly refreshAfter?: number;
  /** Seconds of clock skew between servers tolerated on every time check. Default 30. */
  readonly clockTolerance?: number;
  /**
   * Sessions created before this moment are rejected (mass logout). A Date, epoch seconds, or
   * an ISO string. Default: the `SESSION_NOT_BEFORE` environment variable, if set.
   */
  readonly notBefore?: Date | number | string;
}

/**
 * The shape of the session's data across deploys: a version, how to bring older data up to
 * it, and a validator. All optional; a store with none hands the app what it sealed.
 */
export interface DataOptions<T> {
  /**
   * The data's current version, a whole number from 1. Tokens carry it (`v`); one sealed with
   * an older version (a token from before `version` was set counts as 0) is passed to
   * `migrate` on read and sealed again, as the current version, on the response.
   */
  readonly version?: number;
  /**
   * Brings data sealed under `fromVersion` up to `version`: handle every older version the
   * fleet may still hold. What it throws (or returns that is not a JSON object) ends that
   * session as an `invalid-data` rejection, never a failed request.
   */
  readonly migrate?: (
    data: Record<string, unknown>,
    fromVersion: number,
  ) => Partial<T> | Promise<Partial<T>>;
  /**
   * A Standard Schema (zod, valibot, arktype, …) every session's data must pass on read, after
   * any migration; its output is what the app gets. Data that fails is refused as
   * `invalid-data`: the app never sees a session of the wrong shape.
   */
  readonly schema?: StandardSchemaV1<unknown, T>;
}

/** Observers for logs and metrics. What they throw or reject with never fails a request. */
export interface HooksOptions {
  /**
   * Called once per refused cookie, with the rejection (reason, detail, and `sealed` when the
   * token was authentic) and the cookie name; never with the token or its data. What it
   * throws or rejects with is traced under NODE_DEBUG.
   */
  readonly onRejection?: RejectionHook;
  /**
   * Called for re-seals after key rotation, size failures, data migrations, revocations
   * written, and a revocation store that could not answer.
   */
  readonly onEvent?: EventHook;
}

/** Settings most apps never change. */
export interface AdvancedOptions {
  /** An app-chosen label bound into every token, e.g. `"shop-admin"`. Default none. */
  readonly purpose?: string;
  /** Compress (JWE zip DEF) before sealing. Default false; read docs/security.md (compression) before turning it on. */
  readonly compress?: boolean;
  /**
   * What seals and opens tokens; both make the same tokens byte for byte, and either opens the
   * other's. `'auto'` (default): `'node'` on Node (20.16+), Bun and Deno, `'webcrypto'`
   * anywhere else (workerd, browsers). `'node'`: AES-256-GCM on synchronous node:crypto,
   * several times faster per call, and a commit that needs no await; a SessionConfigError
   * where it cannot work. `'webcrypto'`: jose on Web Crypto, on any runtime. Compressed
   * tokens always go through jose. `store.engine` says which one runs; see docs/runtimes.md.
   */
  readonly engine?: 'auto' | 'node' | 'webcrypto';
  /**
   * Tokens remembered once opened or sealed here, so repeat reads skip the AES call (claims
   * are still checked on every hit). 0 turns it off. Default 1000.
   */
  readonly cacheSize?: number;
}

/**
 * Inputs that stand in for the process's own, for tests (and for runtimes without
 * `process.env`). Kept apart from the settings that decide security.
 */
export interface TestingOptions {
  /** The environment to read the keys and `SESSION_NOT_BEFORE` from. Default `process.env`. */
  readonly env?: Env;
  /** Current time in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Ending sessions before their cookies expire (docs/ending-sessions.md). Left out, nothing
 * is looked up and nothing revoked; `revocation: {}` turns it on, in this process's memory.
 * With it on, every session that carries an id is checked on load, `destroy()` revokes the
 * session's id, `regenerate()` the previous one, and `store.revokeSession()` /
 * `store.revokeSubject()` work. Every revocation is kept for the absolute lifetime plus the
 * clock tolerance, the longest a cookie could still be accepted.
 */
export interface RevocationOptions {
  /**
   * Where revocations are kept. Default `memoryRevocationStore()`: this process only. Several
   * processes need a shared one: `redisRevocationStore` from `jwe-session/redis`, or your
   * own (a few lines over a user table, see the docs).
   */
  readonly store?: RevocationStore;
  /**
   * Milliseconds an answer from the store is trusted before it is asked again (default
   * 1000; 0 asks on every request): a revocation made in another process is refused here
   * within this time; one made through this store, at once.
   */
  readonly recheckInterval?: number;
  /**
   * Milliseconds a request (or a revocation write) waits at most for the store (default 150).
   * Past it the store counts as unavailable.
   */
  readonly timeout?: number;
  /**
   * What a request gets when the store is unavailable and this process knows of no
   * revocation of its session (default `'refuse'`): `'refuse'` treats it as signed out
   * (rejection `revocation-unavailable`) but keeps the cookie, so the session comes back
   * with the store; `'allow'` uses the session (a revocation made elsewhere during the outage
   * is then not seen).
   */
  readonly onUnavailable?: 'refuse' | 'allow';
}

/** What `createSessionStore` takes, grouped by concern. Every group and member is optional. */
export interface SessionStoreOptions<T = AnySessionData> {
  readonly keys?: KeysOption;
  readonly cookie?: CookieOptions;
  readonly lifetime?: LifetimeOptions;
  readonly data?: DataOptions<T>;
  readonly hooks?: HooksOptions;
  readonly advanced?: AdvancedOptions;
  /** Ending sessions early; left out, off. */
  readonly revocation?: RevocationOptions;
  readonly testing?: TestingOptions;
  /** The cross-site request forgery check: on when left out; see CrossSiteOption. */
  readonly crossSite?: CrossSiteOption;
}

/** How long a session lasts, and whether its cookie outlives the browser session. */
export interface SessionLifetime {
  /** Max-Age follows the session's expiry; false gives a browser-session cookie. */
  readonly persistent: boolean;
  /** Seconds without a request after which the session ends. */
  readonly idleTimeout: number;
  /** Seconds after creation after which the session ends, however active. */
  readonly absoluteTimeout: number;
}

/** What `session.options()` takes: any of the lifetimes, each at most the store's. */
export type SessionLifetimeOptions = { readonly [K in keyof SessionLifetime]?: SessionLifetime[K] };
