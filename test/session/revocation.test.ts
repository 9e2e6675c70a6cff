// Revocation wired into the store, one process, the in-memory revocation store: the session id
// and subject in every token, logout that a copied cookie cannot undo, "log out everywhere",
// sign-in ending the previous id, the fail mode of a store that does not answer, and the
// option group. The clock is a fake one moved by hand.
import { readFileSync } from 'node:fs';
import { compactDecrypt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionConfigError, SessionRevocationError } from '../../src/errors.js';
import type { RevocationStore, SessionEvent, SessionStoreOptions } from '../../src/index.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { PORT, type SessionPort } from '../../src/session/port.js';
import type { Session } from '../../src/session/session.js';

/** The internal accessor a CSRF token is bound through (issue 25). */
// The id handed out the public way: a CSRF token is bound to it.
const idOf = async (handle: { readonly session: Session<unknown, unknown> }) => {
  await handle.session.csrfToken();
  return handle.session.id;
};

import { Clock } from '../helpers/clock.js';
import { makeStore, TEST_KEYS, thrown } from '../helpers/store.js';

const LIFETIME = { idleTimeout: 3600, absoluteTimeout: 86400, clockTolerance: 30 };

/** A browser of its own: the session cookie it holds, as a Cookie header. */
class Browser {
  cookie: string | undefined;
  constructor(cookie?: string) {
    this.cookie = cookie;
  }
  copy(): Browser {
    return new Browser(this.cookie);
  }
}

function setup(options: SessionStoreOptions = {}, clock = new Clock(), revocation = true) {
  const events: SessionEvent[] = [];
  const store = makeStore(
    {
      lifetime: LIFETIME,
      ...(revocation && { revocation: {} }),
      hooks: { onEvent: (event) => void events.push(event) },
      ...options,
    },
    clock,
  );
  /** One request: loads the browser's cookie, runs `act`, commits, keeps what it was sent. */
  async function request(
    browser: Browser,
    act: (s: Awaited<ReturnType<typeof store.load>>) => unknown = () => {},
  ) {
    const session = await store.load(browser.cookie);
    await act(session);
    const lines = await store.commit(session);
    for (const line of lines) {
      const pair = line.split(';')[0] as string;
      browser.cookie = /Max-Age=0/.test(line) ? undefined : pair;
    }
    return { session, lines };
  }
  return { store, clock, events, request };
}

async function plaintextOf(cookie: string, clock: Clock): Promise<Record<string, unknown>> {
  const token = cookie.slice(cookie.indexOf('=') + 1);
  const ring = KeyRing.from(TEST_KEYS, 'test');
  const key = await ring.windowKey(ring.primaryId, Math.floor(clock.seconds / 3600));
  return JSON.parse(new TextDecoder().decode((await compactDecrypt(token, key)).plaintext));
}

afterEach(() => vi.useRealTimers());

describe('session id and subject', () => {
  it('a new session has no id until it is first sealed, then keeps it across commits', async () => {
    const { request, clock } = setup();
    const browser = new Browser();
    const first = await request(browser, (s) => {
      expect(s.id).toBeUndefined();
      s.set('n', 1);
    });
    expect(first.session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const second = await request(browser, (s) => s.set('n', 2));
    expect(second.session.id).toBe(first.session.id);
    const claims = await plaintextOf(browser.cookie as string, clock);
    expect(claims.sid).toBe(first.session.id);
    expect(claims).not.toHaveProperty('sub');
  });

  it('a visitor who stores nothing gets no id and no cookie', async () => {
    const { request } = setup();
    const visit = await request(new Browser(), (s) => void s.get('n'));
    expect(visit.session.id).toBeUndefined();
    expect(visit.lines).toEqual([]);
  });

  it('regenerate({ subject }) signs in: a new id, the subject in the token until destroy()', async () => {
    const { request, clock } = setup();
    const browser = new Browser();
    const anonymous = (await request(browser, (s) => s.set('cart', 1))).session.id;
    const signIn = await request(browser, (s) => s.regenerate({ subject: 'u1', keepData: true }));
    expect(signIn.session.id).not.toBe(anonymous);
    expect(signIn.session.subject).toBe('u1');
    const later = await request(browser, (s) => s.set('n', 2));
    expect(later.session.subject).toBe('u1');
    expect(later.session.get('cart')).toBe(1);
    expect((await plaintextOf(browser.cookie as string, clock)).sub).toBe('u1');
    // Regenerating again without a subject keeps it.
    const again = await request(browser, (s) => s.regenerate({ keepData: true }));
    expect(again.session.subject).toBe('u1');
    const out = await request(browser, (s) => {
      s.destroy();
      expect(s.subject).toBeUndefined();
      expect(s.id).toBeUndefined();
    });
    expect(out.session.subject).toBeUndefined();
    expect(browser.cookie).toBeUndefined();
  });

  it('an id handed out before the first seal (for a CSRF token) is written, even with no data', async () => {
    const { store } = setup({}, new Clock(), false);
    const port = (store as unknown as { [PORT]: SessionPort<unknown, unknown> })[PORT];
    const handle = await port.open({ cookie: undefined });
    const id = await idOf(handle);
    expect(await idOf(handle)).toBe(id);
    expect(handle.session.id).toBe(id);
    const commit = await handle.commit();
    expect(commit.cookies).toHaveLength(1);
    const again = await store.load(`session=${commit.cookies[0]?.value}`);
    expect(again.id).toBe(id);
    // Asked again on the loaded session: the same id, nothing to write.
    const next = await port.open({ cookie: `session=${commit.cookies[0]?.value}` });
    expect(await idOf(next)).toBe(id);
    expect((await next.commit()).cookies).toEqual([]);
  });

  it('refuses a subject no revocation store takes, at the call', async () => {
    const { store } = setup();
    const session = await store.load(undefined);
    expect((thrown(() => session.regenerate({ subject: '' })) as Error).name).toBe(
      'SessionValueError',
    );
    expect(() => session.regenerate({ subject: 'x'.repeat(257) })).toThrow(/1 to 256/);
  });

  it('works with revocation off too', async () => {
    const { request } = setup({}, new Clock(), false);
    const browser = new Browser();
    const visit = await request(browser, (s) => s.regenerate({ subject: 'u1' }));
    expect(visit.session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await request(browser)).session.subject).toBe('u1');
  });
});

describe('revocation in one process', () => {
  it('destroy(): a copied cookie is refused as revoked (session ended) and deleted', async () => {
    const { store, request, events } = setup();
    const browser = new Browser();
    await request(browser, (s) => s.regenerate({ subject: 'u1', keepData: true }));
    const copy = browser.copy();
    await request(browser, (s) => s.destroy());
    const session = await store.load(copy.cookie);
    expect(session.rejection?.reason).toBe('revoked');
    expect(session.rejection?.detail).toBe('the session was ended (logged out)');
    expect(session.rejection?.sealed).toBeDefined();
    expect(session.subject).toBeUndefined();
    const lines = await store.commit(session);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^session=; .*Max-Age=0/);
    expect(events).toContainEqual({ type: 'revoked', cookieName: 'session', scope: 'session' });
  });

  it('sign-in ends the id the cookie had before it', async () => {
    const { store, request } = setup();
    const browser = new Browser();
    await request(browser, (s) => s.set('cart', 1));
    const beforeSignIn = browser.copy();
    await request(browser, (s) => s.regenerate({ subject: 'u1', keepData: true }));
    expect((await store.load(beforeSignIn.cookie)).rejection?.reason).toBe('revoked');
    expect((await store.load(browser.cookie)).get('cart')).toBe(1);
  });

  it('revokeSubject(): every session of that subject ends, others stay, sign-in again works in the same second', async () => {
    const { store, request, clock } = setup();
    const laptop = new Browser();
    const phone = new Browser();
    const other = new Browser();
    await request(laptop, (s) => s.regenerate({ subject: 'u1' }));
    await request(phone, (s) => s.regenerate({ subject: 'u1' }));
    await request(other, (s) => s.regenerate({ subject: 'u2' }));
    clock.advance(5);
    await store.revokeSubject('u1');
    for (const browser of [laptop, phone]) {
      const session = await store.load(browser.cookie);
      expect(session.rejection?.reason).toBe('revoked');
      expect(session.rejection?.detail).toBe(
        "the subject's sessions were ended (logged out everywhere)",
      );
    }
    expect((await store.load(other.cookie)).subject).toBe('u2');
    // Signing in again, in the very second of the revocation, gives a valid session.
    const again = new Browser();
    await request(again, (s) => s.regenerate({ subject: 'u1' }));
    const session = await store.load(again.cookie);
    expect(session.rejection).toBeUndefined();
    expect(session.subject).toBe('u1');
  });

  it('revokeSubject() to the millisecond: a sign-in earlier in the same second ends, one right after stays', async () => {
    const { store, request, clock } = setup();
    const start = clock.ms;
    const browserA = new Browser();
    const browserB = new Browser();
    const other = new Browser();
    await request(browserA, (s) => s.regenerate({ subject: 'u1' }));
    await request(other, (s) => s.regenerate({ subject: 'u2' }));
    // t = 10.300 s: a second browser signs in; t = 10.700 s: A logs out everywhere.
    clock.ms = start + 10_300;
    await request(browserB, (s) => s.regenerate({ subject: 'u1' }));
    expect(await plaintextOf(browserB.cookie as string, clock)).toMatchObject({
      ori: Math.floor((start + 10_300) / 1000),
      orm: 300,
    });
    clock.ms = start + 10_700;
    await store.revokeSubject('u1');
    for (const browser of [browserA, browserB]) {
      expect((await store.load(browser.cookie)).rejection?.reason).toBe('revoked');
    }
    // t = 10.900 s, the same second: A signs in again, and stays signed in.
    clock.ms = start + 10_900;
    await request(browserA, (s) => s.regenerate({ subject: 'u1' }));
    const again = await store.load(browserA.cookie);
    expect(again.rejection).toBeUndefined();
    expect(again.subject).toBe('u1');
    // A later seal of that session carries its origin millisecond, so it stays valid too.
    clock.ms = start + 12_000;
    await request(browserA, (s) => s.set('n', 1));
    expect(await plaintextOf(browserA.cookie as string, clock)).toMatchObject({ orm: 900 });
    expect((await store.load(browserA.cookie)).get('n')).toBe(1);
    expect((await store.load(other.cookie)).subject).toBe('u2');
  });

  it('revokeSession(id) ends one session from outside a request', async () => {
    const { store, request } = setup();
    const a = new Browser();
    const b = new Browser();
    const id = (await request(a, (s) => s.regenerate({ subject: 'u1' }))).session.id as string;
    await request(b, (s) => s.regenerate({ subject: 'u1' }));
    await store.revokeSession(id);
    expect((await store.load(a.cookie)).rejection?.reason).toBe('revoked');
    expect((await store.load(b.cookie)).rejection).toBeUndefined();
  });

  it('writes every revocation for the absolute lifetime plus the clock tolerance', async () => {
    const writes: unknown[] = [];
    const store: RevocationStore = {
      revokeSession: async (_id, ttl) => void writes.push(['session', ttl]),
      revokeSubject: async (_subject, _before, ttl) => void writes.push(['subject', ttl]),
      check: async () => ({ sessionRevoked: false, subjectRevokedBefore: undefined }),
    };
    const { store: sessions, request } = setup({ revocation: { store } });
    const browser = new Browser();
    await request(browser, (s) => s.regenerate({ subject: 'u1' }));
    await request(browser, (s) => s.destroy());
    await sessions.revokeSubject('u1');
    expect(writes).toEqual([
      ['session', 86400 + 30],
      ['subject', 86400 + 30],
    ]);
  });

  it('answers a cached verdict without waiting: the handle opens synchronously', async () => {
    const { store, request } = setup({ advanced: { engine: 'node' } });
    const browser = new Browser();
    await request(browser, (s) => s.set('n', 1));
    const port = (store as unknown as { [PORT]: SessionPort<unknown, unknown> })[PORT];
    const first = port.open({ cookie: browser.cookie });
    // The first check asks the (in-memory) store; the next one within the interval does not.
    await first;
    const second = port.open({ cookie: browser.cookie });
    expect(second).not.toBeInstanceOf(Promise);
  });

  it('a session sealed before ids existed opens, is not looked up, and gets an id at its next seal', async () => {
    const vector = JSON.parse(
      readFileSync(new URL('../vectors/v1.json', import.meta.url), 'utf8'),
    ) as {
      keys: string;
      sealedAtMs: number;
      options: { purpose: string; idleTimeout: number; absoluteTimeout: number };
      single: { cookieHeader: string };
    };
    const check = vi.fn(async () => ({ sessionRevoked: true, subjectRevokedBefore: undefined }));
    const revocationStore: RevocationStore = {
      revokeSession: async () => {},
      revokeSubject: async () => {},
      check,
    };
    const clock = new Clock(vector.sealedAtMs + 60_000);
    const store = makeStore(
      {
        keys: vector.keys,
        lifetime: {
          idleTimeout: vector.options.idleTimeout,
          absoluteTimeout: vector.options.absoluteTimeout,
        },
        advanced: { purpose: vector.options.purpose },
        revocation: { store: revocationStore },
      },
      clock,
    );
    const session = await store.load(vector.single.cookieHeader);
    expect(session.rejection).toBeUndefined();
    expect(session.id).toBeUndefined();
    expect(check).not.toHaveBeenCalled();
    session.set('n', 1);
    await store.commit(session);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Its id handed out for a token bound to it: sealed again, so the next request carries it.
    const port = (store as unknown as { [PORT]: SessionPort<unknown, unknown> })[PORT];
    const handle = await port.open({ cookie: vector.single.cookieHeader });
    const id = await idOf(handle);
    const commit = await handle.commit();
    expect(commit.cookies).toHaveLength(1);
    const reloaded = await store.load(`session=${commit.cookies[0]?.value}`);
    // Now it carries the id, so it is looked up (this test's store says every id is revoked).
    expect(check).toHaveBeenCalledWith(id, undefined);
    expect(reloaded.rejection?.reason).toBe('revoked');
  });
});

describe('a revocation store that fails', () => {
  const hanging = (): RevocationStore => ({
    revokeSession: () => new Promise(() => {}),
    revokeSubject: () => new Promise(() => {}),
    check: () => new Promise(() => {}),
  });

  it('refuse (the default): signed out within the timeout, the cookie kept, the event reported', async () => {
    const working = setup();
    const browser = new Browser();
    await working.request(browser, (s) => s.set('n', 1));
    const { store, events } = setup({ revocation: { store: hanging(), timeout: 50 } });
    const startedAt = performance.now();
    const session = await store.load(browser.cookie);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(session.rejection?.reason).toBe('revocation-unavailable');
    expect(session.get('n')).toBeUndefined();
    // Not deleted: the session comes back with the store.
    expect(await store.commit(session)).toEqual([]);
    expect(events).toContainEqual({
      type: 'revocation-unavailable',
      cookieName: 'session',
      operation: 'check',
      error: 'timeout',
      suppressed: 0,
    });
  });

  it('allow: the session is used', async () => {
    const working = setup();
    const browser = new Browser();
    await working.request(browser, (s) => s.set('n', 1));
    const { store } = setup({
      revocation: { store: hanging(), timeout: 50, onUnavailable: 'allow' },
    });
    const session = await store.load(browser.cookie);
    expect(session.rejection).toBeUndefined();
    expect(session.get('n')).toBe(1);
  });

  it('destroy(): the cookie is still cleared within the timeout, the failure reported', async () => {
    const { store, events } = setup({
      revocation: { store: hanging(), timeout: 50, onUnavailable: 'allow' },
    });
    const first = await store.load(undefined);
    first.set('n', 1);
    const cookie = ((await store.commit(first))[0] as string).split(';')[0];
    const session = await store.load(cookie);
    session.destroy();
    const lines = await store.commit(session);
    expect(lines[0]).toMatch(/Max-Age=0/);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'revocation-unavailable',
        operation: 'revokeSession',
        error: 'TimeoutError',
      }),
    );
  });

  it('revokeSession() and revokeSubject() reject with SessionRevocationError', async () => {
    const failing: RevocationStore = {
      revokeSession: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6379'), {
          code: 'ECONNREFUSED',
        });
      },
      revokeSubject: () => new Promise(() => {}),
      check: async () => ({ sessionRevoked: false, subjectRevokedBefore: undefined }),
    };
    const { store, events } = setup({ revocation: { store: failing, timeout: 50 } });
    const one = await store.revokeSession('abc').catch((e: unknown) => e);
    expect(one).toBeInstanceOf(SessionRevocationError);
    expect((one as SessionRevocationError).code).toBe('ERR_SESSION_REVOCATION');
    expect((one as Error).message).not.toContain('10.0.0.1');
    const all = await store.revokeSubject('u1').catch((e: unknown) => e);
    expect((all as SessionRevocationError).operation).toBe('revokeSubject');
    expect(events.map((e) => e.type === 'revocation-unavailable' && e.error)).toEqual([
      'ECONNREFUSED',
      'TimeoutError',
    ]);
  });
});

describe('the revocation option', () => {
  it('is off when left out: nothing to revoke with', async () => {
    const store = makeStore({});
    const error = await store.revokeSession('abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).setting).toBe('revocation');
    // And destroy() does not make a copied cookie invalid.
    const session = await store.load(undefined);
    session.set('n', 1);
    const cookie = ((await store.commit(session))[0] as string).split(';')[0];
    const again = await store.load(cookie);
    again.destroy();
    await store.commit(again);
    expect((await store.load(cookie)).get('n')).toBe(1);
  });

  it('refuses unknown names with a suggestion, and bad values naming the setting', () => {
    const bad = (revocation: unknown) =>
      (thrown(() => makeStore({ revocation } as SessionStoreOptions)) as Error).message;
    expect(bad({ interval: 100 })).toContain('recheckInterval');
    expect(bad({ timout: 100 })).toContain('timeout');
    expect(bad({ ttl: 5 })).toContain('absolute lifetime plus the clock tolerance');
    expect(bad({ timeout: 0 })).toMatch(/^revocation\.timeout: 0 is invalid/);
    expect(bad({ recheckInterval: -1 })).toMatch(/^revocation\.recheckInterval/);
    expect(bad({ onUnavailable: 'open' })).toMatch(/^revocation\.onUnavailable/);
    expect(bad({ store: {} })).toMatch(/^revocation\.store: must be a RevocationStore/);
    expect(bad('on')).toMatch(/^revocation:/);
  });
});
