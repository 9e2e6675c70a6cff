import { SessionConfigError } from '../errors.js';
import { encodeId, epochMilliseconds, ttlSeconds } from './revocation-input.js';
import type { RevocationState, RevocationStore } from './revocation-store.js';

export interface MemoryRevocationStoreOptions {
  /**
   * The most revocations held at once (default 100,000: a few MB). See
   * `memoryRevocationStore` for what happens at the cap.
   */
  readonly maxEntries?: number;
  /** The clock, in epoch milliseconds (default `Date.now`); tests move it by hand. */
  readonly now?: () => number;
}

interface Entry {
  /** `1` for a revoked session id; the `before` cut-off (epoch ms) for a subject. */
  readonly value: number;
  /** Epoch milliseconds after which the entry is gone. */
  readonly expiresAt: number;
}

/**
 * Revocations kept in this process only: for a single-process app, development and tests.
 * Several processes (a cluster, serverless instances) each hold their own list, so a logout
 * seen by one is unknown to the others: use `jwe-session/redis` there.
 *
 * Entries expire on their own: an expired entry is dropped when it is read, and when the
 * store is full. No timer runs, so the store never keeps a process alive.
 *
 * At `maxEntries`, a new revocation first drops every expired entry; if none had expired, it
 * evicts the one entry that expires soonest. That entry guards a session for the least time
 * that is left: with one TTL (the longest session lifetime) for every write, it is the oldest
 * revocation, and the cookies it refuses are the closest to expiring on their own. Refusing
 * the new write instead would leave a session the user just ended valid for a whole
 * lifetime. Finding that entry costs a pass over the store, paid only by writes while it is
 * full of live revocations; size `maxEntries` so that it never is.
 */
export function memoryRevocationStore(options: MemoryRevocationStoreOptions = {}): RevocationStore {
  const { maxEntries = 100_000, now = Date.now } = options;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new SessionConfigError('maxEntries', 'must be a whole number from 1');
  }
  if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');
  const entries = new Map<string, Entry>();

  const live = (key: string, at: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > at) return entry;
    entries.delete(key);
    return undefined;
  };

  // One pass drops every expired entry (so the next writes find room without a pass) and
  // finds the live one that expires soonest, evicted only if nothing had expired.
  const makeRoom = (at: number): void => {
    let soonest: [string, Entry] | undefined;
    for (const pair of entries) {
      if (pair[1].expiresAt <= at) entries.delete(pair[0]);
      else if (!soonest || pair[1].expiresAt < soonest[1].expiresAt) soonest = pair;
    }
    if (entries.size >= maxEntries && soonest) entries.delete(soonest[0]);
  };

  // The later value and the later expiry win, so a repeated or delayed write never undoes one.
  const write = (key: string, value: number, ttl: number): void => {
    const at = now();
    const old = live(key, at);
    if (old === undefined && entries.size >= maxEntries) makeRoom(at);
    entries.set(key, {
      value: Math.max(value, old?.value ?? value),
      expiresAt: Math.max(at + ttl * 1000, old?.expiresAt ?? 0),
    });
  };

  return {
    async revokeSession(sessionId, ttl) {
      write(`sid:${encodeId('sessionId', sessionId)}`, 1, ttlSeconds(ttl));
    },
    async revokeSubject(subject, before, ttl) {
      write(`sub:${encodeId('subject', subject)}`, epochMilliseconds(before), ttlSeconds(ttl));
    },
    async check(sessionId, subject): Promise<RevocationState> {
      const sid = `sid:${encodeId('sessionId', sessionId)}`;
      const sub = subject === undefined ? undefined : `sub:${encodeId('subject', subject)}`;
      const at = now();
      return {
        sessionRevoked: live(sid, at) !== undefined,
        subjectRevokedBefore: sub === undefined ? undefined : live(sub, at)?.value,
      };
    },
  };
}
