import { OutageEvents, within } from './outage-events.js';
import { encodeId, epochMilliseconds, ttlSeconds } from './revocation-input.js';
import {
  type RevocationCheckOptions,
  type RevocationResult,
  revocationSettings,
} from './revocation-options.js';
import type { RevocationState, RevocationStore } from './revocation-store.js';
import { attempt, bounded, isState, later, nameOf, revoked } from './store-answer.js';

export type {
  RevocationCheckOptions,
  RevocationResult,
  RevocationUnavailableEvent,
  Verdict,
} from './revocation-options.js';

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
  readonly #quiet: number;
  readonly #outageEvents: OutageEvents;
  readonly #sessions = new Map<string, SessionEntry>();
  readonly #subjects = new Map<string, SubjectEntry>();
  readonly #inFlight = new Map<string, Promise<Outcome>>();
  /** Set by a failed lookup (`since`, ms), cleared by an answer in time. */
  #outage: { since: number; probing: boolean; error: string } | undefined;

  constructor(store: RevocationStore, options: RevocationCheckOptions = {}) {
    const settings = revocationSettings(store, options);
    this.#store = store;
    this.#interval = settings.recheckInterval;
    this.#timeout = settings.timeout;
    this.#unavailable = UNAVAILABLE[settings.onUnavailable];
    this.#maxEntries = settings.maxEntries;
    this.#now = settings.now;
    // An outage silences the store and its events for recheckInterval, at least a second.
    this.#quiet = Math.max(settings.recheckInterval, 1000);
    this.#outageEvents = new OutageEvents(settings.onEvent, settings.now, this.#quiet);
  }

  /**
   * Whether an opened session may be used. Synchronous when this process knows the answer
   * (a known revocation, or answers for the id and subject younger than `recheckInterval`);
   * otherwise a promise that settles within `timeout`. Concurrent calls for the same session
   * share one lookup. Never rejects, whatever the store does.
   *
   * @param sessionId the session's id (`sid`).
   * @param subject the session's subject (`sub`), if it has one.
   * @param createdAt the session's creation time (`ori` and `orm`), epoch milliseconds. A
   *   session created at a subject's cut-off or later is valid (the user who just logged out
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
    await bounded('revokeSession', this.#timeout, () => this.#store.revokeSession(sessionId, ttl));
  }

  /**
   * Revokes a subject's sessions created before `before` (epoch milliseconds) in the store,
   * and in this process at once. Rejects like `revokeSession`. To log a user out everywhere
   * now, pass `Date.now()`: the user's next sign-in, even in the same second, stays valid. Arguments as `RevocationStore.revokeSubject`.
   */
  async revokeSubject(subject: string, before: number, ttl: number): Promise<void> {
    encodeId('subject', subject);
    epochMilliseconds(before);
    ttlSeconds(ttl);
    const known = this.#subjects.get(subject);
    this.#remember(this.#subjects, subject, {
      before: later(before, known?.before),
      at: known?.at ?? -Infinity,
    });
    await bounded('revokeSubject', this.#timeout, () =>
      this.#store.revokeSubject(subject, before, ttl),
    );
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
    this.#outageEvents.report(error);
    return this.#unavailable;
  }
}
