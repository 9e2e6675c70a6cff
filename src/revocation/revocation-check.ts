import { debug } from '../debug.js';
import { SessionConfigError } from '../errors.js';
import { encodeId, epochSeconds, ttlSeconds } from './revocation-input.js';
import type { RevocationState, RevocationStore } from './revocation-store.js';

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

interface SessionEntry {
  readonly revoked: boolean;
  /** When the store's answer was asked for (ms); -Infinity for what this process wrote. */
  readonly at: number;
}

interface SubjectEntry {
  readonly before: number | undefined;
  readonly at: number;
}

type Outcome = { readonly state: RevocationState } | { readonly error: string };

const VALID: RevocationResult = Object.freeze({ verdict: 'valid', accept: true });
const REVOKED: RevocationResult = Object.freeze({ verdict: 'revoked', accept: false });
const UNAVAILABLE: Record<'refuse' | 'allow', RevocationResult> = {
  refuse: Object.freeze({ verdict: 'unavailable', accept: false }),
  allow: Object.freeze({ verdict: 'unavailable', accept: true }),
};

/**
 * The per-process side of revocation: asks the store whether an opened session was revoked,
 * caches the answer for `recheckInterval`, and never lets a slow or failed store hang or fail
 * a request.
 *
 * Revocations are only ever added (a revoked id stays revoked, a subject's cut-off only
 * moves later), so what this process learns is kept and merged with later answers: a known
 * revocation is answered at once, without the store, and survives a store that lost its data.
 *
 * After a failed or timed-out check, the store is not asked again for `recheckInterval`
 * (at least a second): during an outage requests get `unavailable` at once instead of each
 * waiting `timeout`, and a client that queues commands while offline does not pile one up per
 * request. Then one request asks again; when the store answers, service is back.
 */
export class RevocationCheck {
  readonly #store: RevocationStore;
  readonly #interval: number;
  readonly #timeout: number;
  readonly #unavailable: RevocationResult;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #onEvent: ((event: RevocationUnavailableEvent) => unknown) | undefined;
  /** How long an outage silences the store and events: `recheckInterval`, at least a second. */
  readonly #quiet: number;
  readonly #sessions = new Map<string, SessionEntry>();
  readonly #subjects = new Map<string, SubjectEntry>();
  readonly #inFlight = new Map<string, Promise<Outcome>>();
  /** Set by a failed lookup (`since`, ms), cleared by an answer in time. */
  #outage: { since: number; probing: boolean; error: string } | undefined;
  #lastEvent: number | undefined;
  #suppressed = 0;

  constructor(store: RevocationStore, options: RevocationCheckOptions = {}) {
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
        throw new SessionConfigError('store', `must be a RevocationStore (no ${method} method)`);
      }
    }
    milliseconds('recheckInterval', recheckInterval, 0);
    milliseconds('timeout', timeout, 1);
    if (onUnavailable !== 'refuse' && onUnavailable !== 'allow') {
      throw new SessionConfigError('onUnavailable', "must be 'refuse' or 'allow'");
    }
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new SessionConfigError('maxEntries', 'must be a whole number from 1');
    }
    if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');
    if (onEvent !== undefined && typeof onEvent !== 'function') {
      throw new SessionConfigError('onEvent', 'must be a function (or left out)');
    }
    this.#store = store;
    this.#interval = recheckInterval;
    this.#timeout = timeout;
    this.#unavailable = UNAVAILABLE[onUnavailable];
    this.#maxEntries = maxEntries;
    this.#now = now;
    this.#onEvent = onEvent;
    this.#quiet = Math.max(recheckInterval, 1000);
  }

  /**
   * Whether an opened session may be used. Synchronous when this process knows the answer
   * (a known revocation, or answers for the id and subject younger than `recheckInterval`);
   * otherwise a promise that settles within `timeout`. Concurrent calls for the same session
   * share one lookup. Never rejects, whatever the store does.
   *
   * @param sessionId the session's id (`sid`).
   * @param subject the session's subject (`sub`), if it has one.
   * @param createdAt the session's creation time (`ori`), epoch seconds. A session created
   *   in the second of a subject's cut-off or later is valid (the user who just logged out
   *   everywhere can sign in again at once); without a creation time, any cut-off revokes it.
   * @throws SessionValueError (synchronously) for an id or subject no store takes (empty,
   *   over 256 characters): a session must not be sealed with one.
   */
  verdict(
    sessionId: string,
    subject: string | undefined,
    createdAt: number | undefined,
  ): RevocationResult | Promise<RevocationResult> {
    const now = this.#now();
    const known = this.#sessions.get(sessionId);
    const knownSubject = subject === undefined ? undefined : this.#subjects.get(subject);
    if (revoked(known?.revoked, knownSubject?.before, createdAt)) return REVOKED;
    if (this.#fresh(known, now) && (subject === undefined || this.#fresh(knownSubject, now))) {
      return VALID;
    }
    encodeId('sessionId', sessionId);
    if (subject !== undefined) encodeId('subject', subject);

    const key = subject === undefined ? sessionId : JSON.stringify([sessionId, subject]);
    let lookup = this.#inFlight.get(key);
    if (lookup === undefined) {
      const outage = this.#outage;
      if (outage !== undefined) {
        // One request at a time asks a store that was down; the others are answered at once.
        if (outage.probing || within(outage.since, now, this.#quiet)) {
          return this.#refused(outage.error);
        }
        outage.probing = true;
      }
      lookup = this.#ask(sessionId, subject);
      this.#inFlight.set(key, lookup);
      void lookup.then(() => this.#inFlight.delete(key));
    }
    return lookup.then((outcome) => {
      // What this process knows (a revocation written while the lookup ran, or learnt before
      // the store lost it) counts as much as the store's answer.
      const state = 'state' in outcome ? outcome.state : undefined;
      const before = later(
        state?.subjectRevokedBefore,
        subject === undefined ? undefined : this.#subjects.get(subject)?.before,
      );
      const sessionRevoked = state?.sessionRevoked || this.#sessions.get(sessionId)?.revoked;
      if (revoked(sessionRevoked, before, createdAt)) return REVOKED;
      return 'error' in outcome ? this.#refused(outcome.error) : VALID;
    });
  }

  /**
   * Revokes one session in the store, and in this process at once (even if the store write
   * then fails). Rejects when the store fails or does not answer within `timeout` (a
   * `TimeoutError` DOMException): the write may still land; calling again is safe.
   * Arguments as `RevocationStore.revokeSession`.
   */
  async revokeSession(sessionId: string, ttl: number): Promise<void> {
    encodeId('sessionId', sessionId);
    ttlSeconds(ttl);
    const known = this.#sessions.get(sessionId);
    this.#remember(this.#sessions, sessionId, { revoked: true, at: known?.at ?? -Infinity });
    await this.#bounded('revokeSession', () => this.#store.revokeSession(sessionId, ttl));
  }

  /**
   * Revokes a subject's sessions created before `before` (epoch seconds) in the store, and
   * in this process at once. Rejects like `revokeSession`. To log a user out everywhere now,
   * pass the current second, `Math.floor(Date.now() / 1000)`: the user's next sign-in, even
   * in the same second, stays valid. Arguments as `RevocationStore.revokeSubject`.
   */
  async revokeSubject(subject: string, before: number, ttl: number): Promise<void> {
    encodeId('subject', subject);
    epochSeconds(before);
    ttlSeconds(ttl);
    const known = this.#subjects.get(subject);
    this.#remember(this.#subjects, subject, {
      before: later(before, known?.before),
      at: known?.at ?? -Infinity,
    });
    await this.#bounded('revokeSubject', () => this.#store.revokeSubject(subject, before, ttl));
  }

  /**
   * Whether this process knows the session id itself was revoked (not only its subject's
   * sessions): after a `revoked` verdict, says which of the two it was.
   */
  knowsRevoked(sessionId: string): boolean {
    return this.#sessions.get(sessionId)?.revoked === true;
  }

  #fresh(entry: { readonly at: number } | undefined, now: number): boolean {
    return entry !== undefined && within(entry.at, now, this.#interval);
  }

  /** The store's answer, or why there is none, within `timeout`; never rejects. */
  #ask(sessionId: string, subject: string | undefined): Promise<Outcome> {
    const asked = this.#now();
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if ('state' in outcome) this.#outage = undefined;
        else this.#outage = { since: this.#now(), probing: false, error: outcome.error };
        resolve(outcome);
      };
      // The client may queue the command for ever (an offline queue, a server that stopped
      // reading): the timer answers for it.
      const timer = setTimeout(() => settle({ error: 'timeout' }), this.#timeout);
      attempt(() => this.#store.check(sessionId, subject)).then(
        (state) => {
          if (!isState(state)) return settle({ error: 'invalid-answer' });
          // Even when late: the next requests of this session get it from the cache.
          this.#learn(sessionId, subject, state, asked);
          settle({ state });
        },
        (error: unknown) => settle({ error: nameOf(error) }),
      );
    });
  }

  #learn(sessionId: string, subject: string | undefined, state: RevocationState, at: number) {
    const known = this.#sessions.get(sessionId);
    this.#remember(this.#sessions, sessionId, {
      revoked: state.sessionRevoked || known?.revoked === true,
      at: Math.max(at, known?.at ?? -Infinity),
    });
    if (subject === undefined) return;
    const knownSubject = this.#subjects.get(subject);
    this.#remember(this.#subjects, subject, {
      before: later(state.subjectRevokedBefore, knownSubject?.before),
      at: Math.max(at, knownSubject?.at ?? -Infinity),
    });
  }

  // Written last is evicted last: an active session is written again at each recheck, so
  // what goes first is what no request asked about for longest.
  #remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.#maxEntries) map.delete(map.keys().next().value as string);
  }

  #refused(error: string): RevocationResult {
    const now = this.#now();
    const last = this.#lastEvent;
    if (last === undefined || !within(last, now, this.#quiet)) {
      const event: RevocationUnavailableEvent = {
        type: 'revocation-unavailable',
        error,
        suppressed: this.#suppressed,
      };
      this.#lastEvent = now;
      this.#suppressed = 0;
      notify(this.#onEvent, event);
    } else {
      this.#suppressed++;
    }
    return this.#unavailable;
  }

  async #bounded(operation: string, write: () => Promise<void>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const message = `the revocation store did not answer ${operation} within ${this.#timeout} ms; it may still apply it`;
        reject(new DOMException(message, 'TimeoutError'));
      }, this.#timeout);
    });
    try {
      await Promise.race([attempt(write), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Revoked by its id, or by a subject cut-off after its creation second (or unknown creation). */
function revoked(
  sessionRevoked: boolean | undefined,
  subjectBefore: number | undefined,
  createdAt: number | undefined,
): boolean {
  if (sessionRevoked === true) return true;
  if (subjectBefore === undefined) return false;
  return typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < subjectBefore;
}

/** Whether `now` is less than `span` ms after `since`; a clock that went back ends the span. */
function within(since: number, now: number, span: number): boolean {
  return since <= now && now - since < span;
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function milliseconds(setting: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new SessionConfigError(setting, `must be a number of milliseconds from ${min}`);
  }
}

/** A store call that throws synchronously (not async) rejects like one that fails later. */
function attempt<T>(call: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

function isState(value: unknown): value is RevocationState {
  if (typeof value !== 'object' || value === null) return false;
  const { sessionRevoked, subjectRevokedBefore } = value as Record<string, unknown>;
  return (
    typeof sessionRevoked === 'boolean' &&
    (subjectRevokedBefore === undefined ||
      (typeof subjectRevokedBefore === 'number' && Number.isFinite(subjectRevokedBefore)))
  );
}

/**
 * An error's `code` or class name, never its message. node-redis errors leave `name` as
 * "Error", so the constructor's name is read too (minified builds may shorten it).
 */
export function nameOf(error: unknown): string {
  const word = (value: unknown): value is string =>
    typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) && value !== 'Error';
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (word(code)) return code;
    if (word(name)) return name;
    const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (word(constructorName)) return constructorName;
  }
  return 'Error';
}

// A logging hook that throws must not turn an outage answer into a failed request.
function notify(
  hook: ((event: RevocationUnavailableEvent) => unknown) | undefined,
  event: RevocationUnavailableEvent,
): void {
  if (hook === undefined) return;
  try {
    const result = hook(event);
    if (result instanceof Promise) result.catch(() => debug('onEvent hook failed'));
  } catch {
    debug('onEvent hook failed');
  }
}
