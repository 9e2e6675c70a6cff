import { bad } from '../options/checks.js';
import type { RevocationStore } from './revocation-store.js';

/**
 * - `valid`: no revocation applies (as of at most `recheckInterval` ago).
 * - `revoked`: the session id was revoked, or its subject's sessions created before it.
 * - `unavailable`: the store did not answer in time (or failed), and nothing this process
 *   knows says the session is revoked.
 */
export type Verdict = 'valid' | 'revoked' | 'unavailable';

/** A verdict and what to do with it, `onUnavailable` applied, so every caller decides alike. */
export interface RevocationResult {
  readonly verdict: Verdict;
  /**
   * Whether to use the session for this request. When false for `unavailable`, treat the
   * request as signed out but keep the cookie: the session comes back with the store.
   */
  readonly accept: boolean;
}

/** Reported (rate-limited) when the store could not answer: for logs and alerts. */
export interface RevocationUnavailableEvent {
  readonly type: 'revocation-unavailable';
  /**
   * `'timeout'`, `'invalid-answer'` (the store answered something that is not a
   * `RevocationState`), or the error's `code` or class name (`ECONNREFUSED`,
   * `ClientOfflineError`). Never its message, which could hold a host name or a key.
   */
  readonly error: string;
  /** Unavailable verdicts since the previous event that were not reported one by one. */
  readonly suppressed: number;
}

export interface RevocationCheckOptions {
  /**
   * Milliseconds an answer from the store is trusted before the store is asked again
   * (default 1000; 0 asks on every request). A revocation made in another process takes
   * effect here within this time; one made through this `RevocationCheck`, at once.
   */
  readonly recheckInterval?: number;
  /**
   * Milliseconds a request waits at most for the store (default 150). Past it the verdict is
   * `unavailable`; a late answer still updates the cache for later requests.
   */
  readonly timeout?: number;
  /**
   * What `accept` is when the verdict is `unavailable` (default `'refuse'`):
   * - `'refuse'`: the request is treated as signed out (fail closed: a revoked session must
   *   not come back because the store is down). The cookie is kept.
   * - `'allow'`: the session is used, unless this process already knows it was revoked
   *   (known revocations always give `revoked`).
   */
  readonly onUnavailable?: 'refuse' | 'allow';
  /** The most session ids, and the most subjects, whose answers are cached (default 10,000 each). */
  readonly maxEntries?: number;
  /** The clock, in epoch milliseconds (default `Date.now`); tests move it by hand. */
  readonly now?: () => number;
  /**
   * Told when the store was unavailable, at most once per `recheckInterval` (and at most
   * once a second). A hook that throws or rejects never fails a request.
   */
  readonly onEvent?: (event: RevocationUnavailableEvent) => unknown;
}

/** The options checked, with their defaults: a `RevocationCheck`'s settings. */
export interface RevocationSettings {
  readonly recheckInterval: number;
  readonly timeout: number;
  readonly onUnavailable: 'refuse' | 'allow';
  readonly maxEntries: number;
  readonly now: () => number;
  readonly onEvent: ((event: RevocationUnavailableEvent) => unknown) | undefined;
}

/** Checks a store and its options once, at startup: anything amiss is a SessionConfigError. */
export function revocationSettings(
  store: RevocationStore,
  options: RevocationCheckOptions,
): RevocationSettings {
  const {
    recheckInterval = 1000,
    timeout = 150,
    onUnavailable = 'refuse',
    maxEntries = 10_000,
    now = Date.now,
    onEvent,
  } = options;
  for (const method of ['revokeSession', 'revokeSubject', 'check'] as const) {
    if (typeof store?.[method] !== 'function') {
      bad('store', `must be a RevocationStore (no ${method} method)`);
    }
  }
  milliseconds('recheckInterval', recheckInterval, 0);
  milliseconds('timeout', timeout, 1);
  if (onUnavailable !== 'refuse' && onUnavailable !== 'allow') {
    bad('onUnavailable', "must be 'refuse' or 'allow'");
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    bad('maxEntries', 'must be a whole number from 1');
  }
  if (typeof now !== 'function') bad('now', 'must be a function');
  if (onEvent !== undefined && typeof onEvent !== 'function') {
    bad('onEvent', 'must be a function (or left out)');
  }
  return { recheckInterval, timeout, onUnavailable, maxEntries, now, onEvent };
}

function milliseconds(setting: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    bad(setting, `must be a number of milliseconds from ${min}`);
  }
}
