// RevocationCheck over the memory store and over stores that misbehave on purpose (hang, throw,
// answer nonsense). The same checks against a Redis that is paused, killed and restarted are
// in revocation-check-redis.test.ts.
import { describe, expect, it } from 'vitest';
import { SessionConfigError, SessionValueError } from '../../src/errors.js';
import { memoryRevocationStore } from '../../src/revocation/memory-store.js';
import {
  RevocationCheck,
  type RevocationCheckOptions,
  type RevocationResult,
  type RevocationUnavailableEvent,
} from '../../src/revocation/revocation-check.js';
import type { RevocationState, RevocationStore } from '../../src/revocation/revocation-store.js';
import { Clock } from '../helpers/clock.js';

const HOUR = 3600;
const VALID = { verdict: 'valid', accept: true };
const REVOKED = { verdict: 'revoked', accept: false };
const REFUSED = { verdict: 'unavailable', accept: false };
const ALLOWED = { verdict: 'unavailable', accept: true };

/** A store whose `check` calls are counted, and whose answers a test can hold back or break. */
class TestStore implements RevocationStore {
  readonly inner: RevocationStore;
  checks = 0;
  /** What the next checks do instead of asking `inner`. */
  mode: 'answer' | 'hang' | 'reject' | 'throw' | 'nonsense' = 'answer';
  constructor(clock: Clock) {
    this.inner = memoryRevocationStore({ now: clock.now });
  }
  revokeSession(sessionId: string, ttl: number) {
    if (this.mode === 'hang') return new Promise<void>(() => {});
    if (this.mode === 'reject') return Promise.reject(new Error('write failed: secret-host:6379'));
    return this.inner.revokeSession(sessionId, ttl);
  }
  revokeSubject(subject: string, before: number, ttl: number) {
    return this.inner.revokeSubject(subject, before, ttl);
  }
  check(sessionId: string, subject: string | undefined): Promise<RevocationState> {
    this.checks++;
    switch (this.mode) {
      case 'hang':
        return new Promise(() => {});
      case 'reject':
        return Promise.reject(
          Object.assign(new Error('connect to secret-host'), { code: 'ECONNREFUSED' }),
        );
      case 'throw':
        throw new ClientOfflineError();
      case 'nonsense':
        return Promise.resolve({ sessionRevoked: 'no' } as unknown as RevocationState);
      default:
        return this.inner.check(sessionId, subject);
    }
  }
}

/** Like node-redis's errors: `name` left as "Error", the class says what happened. */
class ClientOfflineError extends Error {
  constructor() {
    super('The client is offline (password=hunter2)');
  }
}

function started(options: RevocationCheckOptions = {}) {
  const clock = new Clock();
  const store = new TestStore(clock);
  const events: RevocationUnavailableEvent[] = [];
  const check = new RevocationCheck(store, {
    now: clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { clock, store, check, events };
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

/** The verdict, awaited if it came as a promise, and how long that took in real time. */
async function timed(result: RevocationResult | Promise<RevocationResult>) {
  const started = performance.now();
  const value = await result;
  return { value, ms: performance.now() - started, sync: !isPromise(result) };
}

describe('RevocationCheck: caching', { timeout: 5000 }, () => {
  it('answers from the cache synchronously while the last answer is younger than recheckInterval', async () => {
    const { clock, store, check } = started();
    const first = check.verdict('sid-a', 'user-1', 100);
    expect(isPromise(first)).toBe(true);
    expect(await first).toEqual(VALID);
    expect(store.checks).toBe(1);

    clock.ms += 999;
    const hit = check.verdict('sid-a', 'user-1', 100);
    expect(isPromise(hit)).toBe(false);
    expect(hit).toEqual(VALID);
    expect(store.checks).toBe(1);

    clock.ms += 1;
    const again = check.verdict('sid-a', 'user-1', 100);
    expect(isPromise(again)).toBe(true);
    expect(await again).toEqual(VALID);
    expect(store.checks).toBe(2);
  });

  it('asks on every request with recheckInterval 0', async () => {
    const { store, check } = started({ recheckInterval: 0 });
    for (let i = 0; i < 3; i++) expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(VALID);
    expect(store.checks).toBe(3);
  });

  it('shares one lookup between concurrent checks of a session; each judges its own creation time', async () => {
    const { store, check } = started();
    await store.revokeSubject('user-1', 150, HOUR);
    const results = await Promise.all([
      check.verdict('sid-a', 'user-1', 100),
      check.verdict('sid-a', 'user-1', 100),
      check.verdict('sid-a', 'user-1', 200),
    ]);
    expect(results).toEqual([REVOKED, REVOKED, VALID]);
    expect(store.checks).toBe(1);
  });

  it('sees a revocation made by another process once recheckInterval has passed', async () => {
    const { clock, store, check } = started();
    expect(await check.verdict('sid-a', undefined, 100)).toEqual(VALID);
    await store.revokeSession('sid-a', HOUR);
    expect(check.verdict('sid-a', undefined, 100)).toEqual(VALID);
    clock.ms += 1000;
    expect(await check.verdict('sid-a', undefined, 100)).toEqual(REVOKED);
  });

  it('a fresh session id still asks when its subject has no fresh answer, and the other way round', async () => {
    const { store, check } = started();
    await check.verdict('sid-a', 'user-1', 100);
    expect(isPromise(check.verdict('sid-a', 'user-2', 100))).toBe(true);
    expect(isPromise(check.verdict('sid-b', 'user-1', 100))).toBe(true);
    await Promise.resolve();
    expect(store.checks).toBe(3);
  });

  it('holds at most maxEntries answers, dropping the least recently asked', async () => {
    const { check } = started({ maxEntries: 2 });
    await check.verdict('a', undefined, 1);
    await check.verdict('b', undefined, 1);
    await check.verdict('c', undefined, 1);
    expect(isPromise(check.verdict('b', undefined, 1))).toBe(false);
    expect(isPromise(check.verdict('c', undefined, 1))).toBe(false);
    expect(isPromise(check.verdict('a', undefined, 1))).toBe(true);
  });

  it('a clock that went back does not make an old answer fresh for longer', async () => {
    const { clock, store, check } = started();
    await check.verdict('sid-a', undefined, 1);
    clock.ms -= 60_000;
    await check.verdict('sid-a', undefined, 1);
    expect(store.checks).toBe(2);
  });
});

describe('RevocationCheck: revoking', { timeout: 5000 }, () => {
  it('a revocation through this process applies at once, before the store has answered', async () => {
    const { store, check } = started();
    expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(VALID);
    const writing = check.revokeSession('sid-a', HOUR);
    expect(check.verdict('sid-a', 'user-1', 100)).toEqual(REVOKED);
    await writing;
    expect((await store.inner.check('sid-a', undefined)).sessionRevoked).toBe(true);
  });

  it('log out everywhere: sessions created before the cut-off millisecond are revoked, even in its second; one created at it or after is valid', async () => {
    const { clock, store, check } = started();
    const start = clock.now();
    expect(await check.verdict('old', 'user-1', start - 1000)).toEqual(VALID);
    // 300 ms into the second, another browser signs in; at 700 ms, the user logs out
    // everywhere, then signs in again at once, in the same second.
    clock.ms += 300;
    const sameSecond = clock.now();
    expect(await check.verdict('same-second', 'user-1', sameSecond)).toEqual(VALID);
    clock.ms += 400;
    await check.revokeSubject('user-1', clock.now(), HOUR);
    const cutOff = clock.now();
    clock.ms += 200;
    expect(Math.floor(clock.now() / 1000)).toBe(Math.floor(sameSecond / 1000));
    expect(check.verdict('old', 'user-1', start - 1000)).toEqual(REVOKED);
    expect(check.verdict('same-second', 'user-1', sameSecond)).toEqual(REVOKED);
    expect(await check.verdict('at-cut-off', 'user-1', cutOff)).toEqual(VALID);
    expect(await check.verdict('signed-in-again', 'user-1', clock.now())).toEqual(VALID);
    // Another user is not touched; a session without a creation time is revoked by any cut-off.
    expect(await check.verdict('other', 'user-2', start - 1000)).toEqual(VALID);
    expect(await check.verdict('no-ori', 'user-1', undefined)).toEqual(REVOKED);
    expect((await store.inner.check('x', 'user-1')).subjectRevokedBefore).toBe(cutOff);
  });

  it('a subject cut-off from another process is seen after the interval', async () => {
    const { clock, store, check } = started();
    expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(VALID);
    await store.revokeSubject('user-1', 101, HOUR);
    expect(check.verdict('sid-a', 'user-1', 100)).toEqual(VALID);
    clock.ms += 1000;
    expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(REVOKED);
  });

  it('what this process learnt stays known when the store forgets it (data loss)', async () => {
    const { store, check } = started({ recheckInterval: 0 });
    await store.inner.revokeSubject('user-1', 150, HOUR);
    expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(REVOKED);
    // The store restarts empty. A session created after the cut-off asks it and hears of no
    // cut-off; one created before is still refused.
    store.check = async () => ({ sessionRevoked: false, subjectRevokedBefore: undefined });
    expect(await check.verdict('sid-c', 'user-1', 150)).toEqual(VALID);
    expect(await check.verdict('sid-b', 'user-1', 100)).toEqual(REVOKED);
  });

  it('an answer asked for before a revocation here does not undo it', async () => {
    const { store, check } = started();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.check = async () => {
      await gate;
      return { sessionRevoked: false, subjectRevokedBefore: undefined };
    };
    const pending = [check.verdict('sid-a', 'user-1', 100), check.verdict('sid-b', 'user-2', 100)];
    // Revoked here while the lookups are out (the store writes fail: only this process knows).
    store.mode = 'reject';
    await check.revokeSession('sid-a', HOUR).catch(() => {});
    await check.revokeSubject('user-2', 500, HOUR).catch(() => {});
    release();
    expect(await Promise.all(pending)).toEqual([REVOKED, REVOKED]);
    expect(check.verdict('sid-a', 'user-1', 100)).toEqual(REVOKED);
    expect(check.verdict('sid-c', 'user-2', 499)).toEqual(REVOKED);
  });

  it('a failed store write rejects, and the revocation still holds in this process', async () => {
    const { store, check } = started();
    store.mode = 'reject';
    await expect(check.revokeSession('sid-a', HOUR)).rejects.toThrow('write failed');
    store.mode = 'answer';
    expect(check.verdict('sid-a', undefined, 1)).toEqual(REVOKED);
  });

  it('a store write that hangs rejects with a TimeoutError after `timeout`', async () => {
    const { store, check } = started({ timeout: 50 });
    store.mode = 'hang';
    const startedAt = performance.now();
    const error = await check.revokeSession('sid-a', HOUR).catch((e: unknown) => e);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
  });

  it('refuses bad ids, subjects, cut-offs and TTLs', async () => {
    const { check } = started();
    await expect(check.revokeSession('', HOUR)).rejects.toThrow(SessionValueError);
    await expect(check.revokeSubject('u'.repeat(257), 1, HOUR)).rejects.toThrow(SessionValueError);
    await expect(check.revokeSubject('u', -5, HOUR)).rejects.toThrow(SessionValueError);
    await expect(check.revokeSession('s', 0)).rejects.toThrow(SessionValueError);
    expect(() => check.verdict('s'.repeat(257), undefined, 1)).toThrow(SessionValueError);
    expect(() => check.verdict('s', '', 1)).toThrow(SessionValueError);
  });
});

describe('RevocationCheck: a store that is slow or down', { timeout: 5000 }, () => {
  it('a hanging store never holds a request past `timeout`: unavailable, refused', async () => {
    const { store, check, events } = started({ timeout: 50 });
    store.mode = 'hang';
    const { value, ms } = await timed(check.verdict('sid-a', 'user-1', 100));
    expect(value).toEqual(REFUSED);
    expect(ms).toBeGreaterThanOrEqual(45);
    expect(ms).toBeLessThan(1000);
    expect(events).toEqual([{ type: 'revocation-unavailable', error: 'timeout', suppressed: 0 }]);
  });

  it("onUnavailable: 'allow' accepts unless this process knows of a revocation", async () => {
    const { store, check } = started({ timeout: 50, onUnavailable: 'allow', recheckInterval: 0 });
    await check.revokeSession('sid-revoked', HOUR);
    await check.revokeSubject('user-9', 500, HOUR);
    store.mode = 'hang';
    expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(ALLOWED);
    expect(await check.verdict('sid-revoked', 'user-1', 100)).toEqual(REVOKED);
    expect(await check.verdict('sid-b', 'user-9', 100)).toEqual(REVOKED);
    expect(await check.verdict('sid-c', 'user-9', 500)).toEqual(ALLOWED);
  });

  it('reports the error by code or class name, never its message', async () => {
    for (const [mode, error] of [
      ['reject', 'ECONNREFUSED'],
      ['throw', 'ClientOfflineError'],
      ['nonsense', 'invalid-answer'],
    ] as const) {
      const { store, check, events } = started();
      store.mode = mode;
      expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(REFUSED);
      expect(events).toEqual([{ type: 'revocation-unavailable', error, suppressed: 0 }]);
      expect(JSON.stringify(events)).not.toMatch(/secret|hunter2/);
    }
  });

  it('after a failure, answers at once without the store until the interval has passed; then one request asks again', async () => {
    const { clock, store, check } = started({ timeout: 50 });
    store.mode = 'reject';
    expect(await check.verdict('sid-a', 'user-1', 100)).toEqual(REFUSED);
    expect(store.checks).toBe(1);
    store.mode = 'hang';
    clock.ms += 999;
    const during = await timed(check.verdict('sid-b', 'user-1', 100));
    expect(during).toMatchObject({ sync: true, value: REFUSED });
    expect(store.checks).toBe(1);

    clock.ms += 1;
    const probe = check.verdict('sid-c', 'user-1', 100);
    // While the probe is out, other sessions do not wait for it.
    expect(check.verdict('sid-d', 'user-1', 100)).toEqual(REFUSED);
    expect(await probe).toEqual(REFUSED);
    expect(store.checks).toBe(2);

    // The store is back: the next probe after the interval restores service.
    store.mode = 'answer';
    clock.ms += 1000;
    expect(await check.verdict('sid-c', 'user-1', 100)).toEqual(VALID);
    expect(await check.verdict('sid-d', 'user-1', 100)).toEqual(VALID);
  });

  it('reports an outage at most once a second, counting what it did not report', async () => {
    const { clock, store, check, events } = started({ recheckInterval: 0 });
    store.mode = 'reject';
    for (let i = 0; i < 5; i++) {
      await check.verdict(`sid-${i}`, 'user-1', 100);
      clock.ms += 100;
    }
    expect(events).toHaveLength(1);
    clock.ms += 600;
    await check.verdict('sid-x', 'user-1', 100);
    expect(events).toEqual([
      { type: 'revocation-unavailable', error: 'ECONNREFUSED', suppressed: 0 },
      { type: 'revocation-unavailable', error: 'ECONNREFUSED', suppressed: 4 },
    ]);
  });

  it('a hook that throws or rejects does not fail the request', async () => {
    for (const onEvent of [
      () => {
        throw new Error('logger down');
      },
      () => Promise.reject(new Error('logger down')),
    ]) {
      const { store, check } = started({ onEvent });
      store.mode = 'reject';
      expect(await check.verdict('sid-a', undefined, 1)).toEqual(REFUSED);
    }
  });

  it('a late answer still fills the cache for the next request of that session', async () => {
    const { store, check } = started({ timeout: 20 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = store.check.bind(store);
    store.check = async (sid, sub) => {
      await gate;
      return inner(sid, sub);
    };
    expect(await check.verdict('sid-a', undefined, 1)).toEqual(REFUSED);
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check.verdict('sid-a', undefined, 1)).toEqual(VALID);
  });
});

describe('RevocationCheck: configuration', { timeout: 5000 }, () => {
  it('refuses bad options at construction, naming the setting', () => {
    const store = memoryRevocationStore();
    const bad: [RevocationCheckOptions, string][] = [
      [{ recheckInterval: -1 }, 'recheckInterval'],
      [{ recheckInterval: Number.NaN }, 'recheckInterval'],
      [{ timeout: 0 }, 'timeout'],
      [{ onUnavailable: 'ignore' as 'allow' }, 'onUnavailable'],
      [{ maxEntries: 0 }, 'maxEntries'],
      [{ onEvent: 'log' as unknown as () => void }, 'onEvent'],
    ];
    for (const [options, setting] of bad) {
      expect(() => new RevocationCheck(store, options), setting).toThrow(
        expect.objectContaining({ name: 'SessionConfigError', setting }),
      );
    }
    expect(() => new RevocationCheck({} as RevocationStore)).toThrow(SessionConfigError);
  });
});
