import { describe, expect, it } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import type { SessionStore } from '../../src/index.js';
import { Clock } from '../helpers/clock.js';
import { openAsCookie, sealAsCookie } from '../helpers/cookie-oracle.js';
import { forge, type Payload } from '../helpers/forge.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore } from '../helpers/store.js';

const IDLE = 3600;
const ABSOLUTE = 4 * 3600;
const TOLERANCE = 30;

function setup(options: Parameters<typeof makeStore>[0] = {}) {
  const clock = new Clock();
  const store = makeStore(
    {
      ...options,
      lifetime: {
        idleTimeout: IDLE,
        absoluteTimeout: ABSOLUTE,
        clockTolerance: TOLERANCE,
        ...options.lifetime,
      },
      advanced: { cacheSize: 0, ...options.advanced },
    },
    clock,
  );
  return { clock, store };
}

async function expectRejected(store: SessionStore, token: string, reason: string, detail: string) {
  const result = await openAsCookie(store, token);
  expect(result).toBeInstanceOf(SessionRejectedError);
  const rejection = result as SessionRejectedError;
  expect(rejection.code).toBe('ERR_SESSION_REJECTED');
  expect(rejection.reason).toBe(reason);
  expect(rejection.detail).toBe(detail);
  const session = await store.load(`${store.cookieName}=${token}`);
  expect(session.rejection?.reason).toBe(reason);
  expect(session.isNew).toBe(true);
}

describe('idle lifetime', () => {
  it('opens up to exp plus the tolerance, and is expired one second later', async () => {
    const { clock, store } = setup();
    const token = await sealAsCookie(store, { a: 1 });
    clock.advance(IDLE + TOLERANCE);
    expect(await openAsCookie(store, token)).toEqual({ a: 1 });
    clock.advance(1);
    await expectRejected(store, token, 'expired', 'idle lifetime has passed');
  });

  it('rejects a token whose window is past the idle lifetime, before deriving a key', async () => {
    const { clock, store } = setup();
    const token = await sealAsCookie(store, { a: 1 });
    clock.advance(3 * IDLE);
    await expectRejected(
      store,
      token,
      'expired',
      'token names a key window past the idle lifetime',
    );
  });
});

describe('absolute lifetime', () => {
  it('rejects a fresh-looking token (recent iat, future exp) from a session begun too long ago', async () => {
    const { clock, store } = setup();
    const now = clock.seconds;
    const base: Payload = {
      pur: 'session',
      iat: now - 10,
      exp: now + 3000,
      ori: now - ABSOLUTE,
      d: { a: 1 },
    };
    expect(
      await openAsCookie(store, await forge(store, { ...base, ori: now - ABSOLUTE - TOLERANCE })),
    ).toEqual({ a: 1 });
    await expectRejected(
      store,
      await forge(store, { ...base, ori: now - ABSOLUTE - TOLERANCE - 1 }),
      'expired',
      'absolute lifetime has passed',
    );
  });
});

describe('not yet valid', () => {
  it('rejects an iat in the future beyond the tolerance', async () => {
    const { clock, store } = setup();
    const now = clock.seconds;
    const base: Payload = {
      pur: 'session',
      iat: now + TOLERANCE,
      exp: now + 600,
      ori: now,
      d: { a: 1 },
    };
    expect(await openAsCookie(store, await forge(store, base))).toEqual({ a: 1 });
    await expectRejected(
      store,
      await forge(store, { ...base, iat: now + TOLERANCE + 1 }),
      'not-yet-valid',
      'token was issued in the future',
    );
  });

  it('rejects a token sealed by a server whose clock runs an hour ahead', async () => {
    const ahead = new Clock();
    ahead.advance(3600);
    const token = await sealAsCookie(makeStore({}, ahead), { a: 1 });
    const { store } = setup();
    await expectRejected(store, token, 'not-yet-valid', 'token names a key window in the future');
  });
});

describe('not-before (mass logout)', () => {
  it('rejects sessions begun before notBefore as revoked, and opens later ones', async () => {
    const { clock, store } = setup();
    const before = await sealAsCookie(store, { a: 1 });
    clock.advance(5);
    const revoking = makeStore(
      { lifetime: { notBefore: clock.seconds }, advanced: { cacheSize: 0 } },
      clock,
    );
    await expectRejected(
      revoking,
      before,
      'revoked',
      'session began before the configured not-before time',
    );
    const after = await sealAsCookie(revoking, { a: 2 });
    expect(await openAsCookie(revoking, after)).toEqual({ a: 2 });
  });

  it('reads SESSION_NOT_BEFORE from the environment (ISO time)', async () => {
    const { clock, store } = setup();
    const before = await sealAsCookie(store, { a: 1 });
    const iso = new Date(clock.ms + 1000).toISOString();
    const revoking = makeStore({ testing: { env: { SESSION_NOT_BEFORE: iso } } }, clock);
    await expectRejected(
      revoking,
      before,
      'revoked',
      'session began before the configured not-before time',
    );
  });

  it('keeps the session origin through refreshes, so a refreshed old session is still revoked', async () => {
    const { clock, store } = setup({ lifetime: { refreshAfter: 0 } });
    const first = await sealAsCookie(store, { a: 1 });
    clock.advance(60);
    const session = await store.load(`session=${first}`);
    const lines = await store.commit(session);
    expect(lines).toHaveLength(1);
    const refreshed = (lines[0] as string).split(';')[0]?.slice('session='.length) as string;
    const revoking = makeStore(
      { lifetime: { notBefore: clock.seconds - 30 }, advanced: { cacheSize: 0 } },
      clock,
    );
    await expectRejected(
      revoking,
      refreshed,
      'revoked',
      'session began before the configured not-before time',
    );
  });
});

describe('purpose binding', () => {
  it('rejects a token sealed for another purpose', async () => {
    const clock = new Clock();
    const token = await sealAsCookie(makeStore({ advanced: { purpose: 'shop' } }, clock), { a: 1 });
    expect(await openAsCookie(makeStore({ advanced: { purpose: 'shop' } }, clock), token)).toEqual({
      a: 1,
    });
    for (const other of [
      makeStore({ advanced: { purpose: 'admin' } }, clock),
      makeStore({}, clock),
    ]) {
      await expectRejected(
        other,
        token,
        'wrong-purpose',
        'token was sealed for another cookie or purpose',
      );
    }
  });

  it('rejects a token sealed for another cookie name', async () => {
    const clock = new Clock();
    const token = await sealAsCookie(makeStore({ cookie: { name: 'a' } }, clock), { a: 1 });
    await expectRejected(
      makeStore({ cookie: { name: 'b' } }, clock),
      token,
      'wrong-purpose',
      'token was sealed for another cookie or purpose',
    );
  });

  it('does not confuse cookie name "a" with purpose "b" and cookie "a/b"', async () => {
    const clock = new Clock();
    const token = await sealAsCookie(
      makeStore({ cookie: { name: 'a' }, advanced: { purpose: 'b' } }, clock),
      { x: 1 },
    );
    // "a/b" is not a valid cookie name (no "/" in tokens), so the composite cannot collide.
    await expectRejected(
      makeStore({ cookie: { name: 'a' }, advanced: { purpose: 'b/' } }, clock),
      token,
      'wrong-purpose',
      'token was sealed for another cookie or purpose',
    );
  });
});

describe('size', () => {
  it('rejects a token longer than the total budget unread', async () => {
    const { store } = setup({ cookie: { maxTotalBytes: 1024 } });
    const big = await sealAsCookie(makeStore({ keys: keyEntry('k1') }), { s: 'x'.repeat(2000) });
    await expectRejected(store, big, 'too-large', 'token is longer than 1024 characters');
  });
});

describe('payload shape', () => {
  it.each([
    ['not JSON', 'nope'],
    ['an array', '[]'],
    ['without data', JSON.stringify({ pur: 'session', iat: 1, exp: 2, ori: 1 })],
    ['with data that is a list', JSON.stringify({ pur: 'session', iat: 1, exp: 2, ori: 1, d: [] })],
    ['with a fractional iat', JSON.stringify({ pur: 'session', iat: 1.5, exp: 2, ori: 1, d: {} })],
    ['with a string exp', JSON.stringify({ pur: 'session', iat: 1, exp: '2', ori: 1, d: {} })],
    [
      'with flash that is a string',
      JSON.stringify({ pur: 'session', iat: 1, exp: 2, ori: 1, d: {}, f: 'x' }),
    ],
    ['nested too deep', `${'['.repeat(300)}${']'.repeat(300)}`],
  ])('rejects a genuine token whose plaintext is %s as malformed', async (_, text) => {
    const { clock, store } = setup();
    const token = await forge(store, text, { window: Math.floor(clock.seconds / 3600) });
    await expectRejected(store, token, 'malformed', 'plaintext is not a session payload');
  });
});
