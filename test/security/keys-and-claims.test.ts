// Tokens that are authentic but not for here or not for now: an unknown key, a key window far
// from the clock, another purpose or cookie name, expired, issued in the future, or begun
// before the not-before time. Forged under the real window keys where a guard must be reached
// with the cryptography passing.
import { describe, expect, it } from 'vitest';
import { SessionConfigError, SessionRejectedError } from '../../src/errors.js';
import type { SessionStore } from '../../src/index.js';
import { openAsCookie, sealAsCookie } from '../helpers/cookie-oracle.js';
import {
  Clock,
  cookieHeaderOf,
  forge,
  keyEntry,
  makeStore,
  NOW,
  plaintext,
  sealSession,
  WINDOW,
} from './support.js';

async function rejection(store: SessionStore, token: string): Promise<SessionRejectedError> {
  const result = await openAsCookie(store, token);
  expect(result).toBeInstanceOf(SessionRejectedError);
  const session = await store.load(`${store.cookieName}=${token}`);
  expect(session.isNew).toBe(true);
  expect(session.keys()).toEqual([]);
  expect(session.rejection?.reason).toBe((result as SessionRejectedError).reason);
  return result as SessionRejectedError;
}

describe('key ids', () => {
  it('rejects a kid naming a key not in the ring as unknown-key', async () => {
    const sealer = makeStore({ keys: keyEntry('k9') });
    const token = await sealAsCookie(sealer, { user: 'alice' });
    const r = await rejection(makeStore(), token);
    expect(r.reason).toBe('unknown-key');
    expect(r.detail).toBe('no key with id "k9" in the ring');
  });

  it('rejects a token once its key has left the ring, and opens it while it is there', async () => {
    const old = makeStore({ keys: keyEntry('old') });
    const token = await sealAsCookie(old, { user: 'alice' });
    const staged = makeStore({ keys: `${keyEntry('new')},${keyEntry('old')}` });
    expect(await openAsCookie(staged, token)).toEqual({ user: 'alice' });
    const retired = makeStore({ keys: keyEntry('new') });
    expect((await rejection(retired, token)).reason).toBe('unknown-key');
  });

  it('rejects a key id that only differs in case', async () => {
    const sealer = makeStore({ keys: keyEntry('K1', 'k1') });
    expect((await rejection(makeStore(), await sealAsCookie(sealer, { a: 1 }))).reason).toBe(
      'unknown-key',
    );
  });
});

describe('key windows', () => {
  it('rejects a window far in the past though its claims say now', async () => {
    const store = makeStore();
    for (const window of [0, 1, WINDOW - 24 * 365, WINDOW - 7 * 24 - 2]) {
      const token = await forge(store, plaintext(), { window });
      const r = await rejection(store, token);
      expect(r.reason).toBe('expired');
      expect(r.detail).toBe('token names a key window past the idle lifetime');
    }
  });

  it('rejects a window in the future though its claims say now', async () => {
    const store = makeStore();
    for (const window of [WINDOW + 1, WINDOW + 24 * 365, 9_999_999_999]) {
      const token = await forge(store, plaintext(), { window });
      const r = await rejection(store, token);
      expect(r.reason).toBe('not-yet-valid');
      expect(r.detail).toBe('token names a key window in the future');
    }
  });

  it('accepts the current window and the recent ones within the idle lifetime', async () => {
    const store = makeStore();
    for (const window of [WINDOW, WINDOW - 1, WINDOW - 7 * 24]) {
      expect(await openAsCookie(store, await forge(store, plaintext(), { window }))).toEqual({
        user: 'forged',
      });
    }
  });
});

describe('purpose and cookie name', () => {
  it('rejects a token sealed for another purpose', async () => {
    const admin = makeStore({ advanced: { purpose: 'admin' } });
    const shop = makeStore({ advanced: { purpose: 'shop' } });
    const r = await rejection(shop, await sealAsCookie(admin, { role: 'admin' }));
    expect(r.reason).toBe('wrong-purpose');
    expect(r.detail).toBe('token was sealed for another cookie or purpose');
    expect(
      (await rejection(makeStore(), await sealAsCookie(admin, { role: 'admin' }))).reason,
    ).toBe('wrong-purpose');
  });

  it('rejects a token sealed for cookie "a" presented as cookie "b"', async () => {
    const a = makeStore({ cookie: { name: 'a' } });
    const b = makeStore({ cookie: { name: 'b' } });
    const lines = await sealSession(a, { user: 'alice' });
    const value = cookieHeaderOf(lines).slice('a='.length);
    const session = await b.load(`b=${value}`);
    expect(session.rejection?.reason).toBe('wrong-purpose');
    expect(session.get('user')).toBeUndefined();
    expect((await a.load(`a=${value}`)).get('user')).toBe('alice');
  });

  it('rejects a purpose that only matches as a prefix or by concatenation', async () => {
    // pur is "<cookie>/<purpose>": cookie "a" purpose "b/c" vs cookie "a/b"-like collisions
    // are impossible since cookie names cannot hold "/"; check prefixes instead.
    const store = makeStore({ advanced: { purpose: 'app' } });
    for (const pur of ['session', 'session/', 'session/ap', 'session/app2', 'Session/app']) {
      const r = await rejection(store, await forge(store, plaintext({ pur })));
      expect(r.reason).toBe('wrong-purpose');
    }
    expect(
      await openAsCookie(store, await forge(store, plaintext({ pur: 'session/app' }))),
    ).toEqual({
      user: 'forged',
    });
  });
});

describe('lifetimes', () => {
  it('rejects a session idle past its idle timeout, within clock tolerance', async () => {
    const clock = new Clock();
    const store = makeStore({ lifetime: { idleTimeout: 3600, clockTolerance: 30 } }, clock);
    const token = await sealAsCookie(store, { user: 'alice' });
    clock.advance(3600 + 30);
    expect(await openAsCookie(store, token)).toEqual({ user: 'alice' });
    clock.advance(1);
    const r = await rejection(store, token);
    expect(r.reason).toBe('expired');
    expect(r.detail).toBe('idle lifetime has passed');
  });

  it('rejects a forged exp in the past, whatever the window', async () => {
    const store = makeStore();
    const r = await rejection(store, await forge(store, plaintext({ exp: NOW - 31 })));
    expect(r.reason).toBe('expired');
    expect(r.detail).toBe('idle lifetime has passed');
  });

  it('rejects a session past its absolute lifetime though its exp is ahead', async () => {
    const store = makeStore({ lifetime: { idleTimeout: 3600, absoluteTimeout: 7200 } });
    const token = await forge(store, plaintext({ ori: NOW - 7200 - 31, exp: NOW + 3600 }));
    const r = await rejection(store, token);
    expect(r.reason).toBe('expired');
    expect(r.detail).toBe('absolute lifetime has passed');
  });

  it('rejects a session refreshed past its absolute lifetime', async () => {
    const clock = new Clock();
    const store = makeStore(
      { lifetime: { idleTimeout: 3600, absoluteTimeout: 7200, refreshAfter: 0 } },
      clock,
    );
    let header = cookieHeaderOf(await sealSession(store, { user: 'alice' }));
    for (let i = 0; i < 3; i++) {
      clock.advance(1800);
      const session = await store.load(header);
      expect(session.get('user')).toBe('alice');
      header = cookieHeaderOf(await store.commit(session));
    }
    // Refreshed at +5400: exp is capped at the absolute deadline, +7200.
    clock.advance(1800);
    expect((await store.load(header)).get('user')).toBe('alice');
    clock.advance(31);
    const last = await store.load(header);
    expect(last.rejection?.reason).toBe('expired');
    expect(last.get('user')).toBeUndefined();
  });

  it('rejects a token issued in the future (beyond tolerance) within the current window', async () => {
    const store = makeStore({ lifetime: { clockTolerance: 30 } });
    const r = await rejection(store, await forge(store, plaintext({ iat: NOW + 120 })));
    expect(r.reason).toBe('not-yet-valid');
    expect(r.detail).toBe('token was issued in the future');
    expect(await openAsCookie(store, await forge(store, plaintext({ iat: NOW + 30 })))).toEqual({
      user: 'forged',
    });
  });

  it('rejects a token from a store whose clock runs an hour ahead', async () => {
    const ahead = new Clock();
    ahead.advance(3600);
    const token = await sealAsCookie(makeStore({}, ahead), { user: 'alice' });
    expect((await rejection(makeStore(), token)).reason).toBe('not-yet-valid');
  });

  it('checks expiry on a token-cache hit', async () => {
    const clock = new Clock();
    const store = makeStore({ lifetime: { idleTimeout: 600 }, advanced: { cacheSize: 10 } }, clock);
    const token = await sealAsCookie(store, { user: 'alice' });
    expect(await openAsCookie(store, token)).toEqual({ user: 'alice' });
    expect(await openAsCookie(store, token)).toEqual({ user: 'alice' });
    clock.advance(600 + 31);
    expect(((await openAsCookie(store, token)) as SessionRejectedError).reason).toBe('expired');
  });

  it('gives each cache hit its own copy of the data', async () => {
    const store = makeStore({ advanced: { cacheSize: 10 } });
    const token = await sealAsCookie(store, { cart: [1] });
    const first = await store.load(`session=${token}`);
    (first.get('cart') as number[]).push(2);
    expect((await store.load(`session=${token}`)).get('cart')).toEqual([1]);
  });
});

describe('not-before (mass logout)', () => {
  const CUTOFF = NOW - 600;
  const iso = new Date(CUTOFF * 1000).toISOString();

  async function sessionCreatedAt(created: number, options = {}): Promise<string> {
    const clock = new Clock();
    clock.ms = created * 1000;
    return cookieHeaderOf(await sealSession(makeStore(options, clock), { user: 'alice' }));
  }

  for (const [label, options] of [
    ['SESSION_NOT_BEFORE (ISO)', { testing: { env: { SESSION_NOT_BEFORE: iso } } }],
    [
      'SESSION_NOT_BEFORE (epoch seconds)',
      { testing: { env: { SESSION_NOT_BEFORE: String(CUTOFF) } } },
    ],
    ['notBefore (Date)', { lifetime: { notBefore: new Date(CUTOFF * 1000) } }],
    ['notBefore (seconds)', { lifetime: { notBefore: CUTOFF } }],
    ['notBefore (ISO string)', { lifetime: { notBefore: iso } }],
  ] as const) {
    it(`${label}: sessions created before are revoked, after are accepted`, async () => {
      const store = makeStore(options);
      const before = await store.load(await sessionCreatedAt(CUTOFF - 1));
      expect(before.rejection?.reason).toBe('revoked');
      expect(before.rejection?.detail).toBe('session began before the configured not-before time');
      expect(before.get('user')).toBeUndefined();
      expect((await store.load(await sessionCreatedAt(CUTOFF))).get('user')).toBe('alice');
      expect((await store.load(await sessionCreatedAt(CUTOFF + 60))).get('user')).toBe('alice');
    });
  }

  it('revokes a session begun before the cutoff even if refreshed after it', async () => {
    const clock = new Clock();
    clock.ms = (CUTOFF - 3600) * 1000;
    const old = makeStore({ lifetime: { refreshAfter: 0 } }, clock);
    let header = cookieHeaderOf(await sealSession(old, { user: 'alice' }));
    clock.ms = (CUTOFF + 60) * 1000;
    const refreshed = await old.load(header);
    header = cookieHeaderOf(await old.commit(refreshed));
    expect(header).not.toBe('');
    const store = makeStore({ lifetime: { notBefore: CUTOFF } });
    expect((await store.load(header)).rejection?.reason).toBe('revoked');
  });

  it('accepts a session regenerated after the cutoff (login again)', async () => {
    const clock = new Clock();
    const store = makeStore({ lifetime: { notBefore: CUTOFF } }, clock);
    const session = await store.load(await sessionCreatedAt(CUTOFF - 60));
    expect(session.rejection?.reason).toBe('revoked');
    session.regenerate();
    session.set('user', 'alice');
    const header = cookieHeaderOf(await store.commit(session));
    expect((await store.load(header)).get('user')).toBe('alice');
  });

  it('lets the notBefore option override SESSION_NOT_BEFORE', async () => {
    const store = makeStore({
      lifetime: { notBefore: CUTOFF - 3600 },
      testing: { env: { SESSION_NOT_BEFORE: iso } },
    });
    expect((await store.load(await sessionCreatedAt(CUTOFF - 60))).get('user')).toBe('alice');
  });

  it('ignores an empty SESSION_NOT_BEFORE', async () => {
    const store = makeStore({ testing: { env: { SESSION_NOT_BEFORE: '' } } });
    expect((await store.load(await sessionCreatedAt(0 + NOW - 86400))).get('user')).toBe('alice');
  });

  it('refuses a bad SESSION_NOT_BEFORE or notBefore as a config error naming it', () => {
    for (const value of ['yesterday', '2026-13-45T00:00:00Z', 'now', '12:00']) {
      let error: unknown;
      try {
        makeStore({ testing: { env: { SESSION_NOT_BEFORE: value } } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SessionConfigError);
      expect((error as SessionConfigError).code).toBe('ERR_SESSION_CONFIG');
      expect((error as SessionConfigError).setting).toBe('SESSION_NOT_BEFORE');
      expect((error as Error).message).toMatch(/^SESSION_NOT_BEFORE: .* is not a date/);
    }
    for (const value of ['yesterday', Number.NaN, Number.POSITIVE_INFINITY, new Date('nope')]) {
      expect(() => makeStore({ lifetime: { notBefore: value } })).toThrow(
        expect.objectContaining({ setting: 'lifetime.notBefore', code: 'ERR_SESSION_CONFIG' }),
      );
    }
  });
});
