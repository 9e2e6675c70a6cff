import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { SessionCommittedError } from '../../src/errors.js';
import { portOf } from '../../src/session/port.js';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, thrown, visit } from '../helpers/store.js';

function deleted(lines: readonly string[]): string[] {
  return lines
    .map((l) => parseSetCookie(l))
    .filter((c) => c.maxAge === 0)
    .map((c) => c.name)
    .sort();
}

describe('destroy', () => {
  it('clears the cookie and every chunk, and nothing else', async () => {
    const store = makeStore({ cookie: { maxChunkBytes: 512, maxTotalBytes: 8000 } }, new Clock());
    const jar: Jar = new Map([['theme', 'dark']]);
    await visit(store, jar, (s) => s.set('blob', 'q'.repeat(2000)));
    const names = [...jar.keys()].filter((n) => n.startsWith('session'));
    expect(names.length).toBeGreaterThan(3);
    const { setCookies } = await visit(store, jar, (s) => s.destroy());
    expect(deleted(setCookies)).toEqual(names.sort());
    expect(setCookies).toHaveLength(names.length);
    expect([...jar.keys()]).toEqual(['theme']);
  });

  it('deletes with the same path and domain the cookie was set with', async () => {
    const store = makeStore({ cookie: { path: '/app', domain: 'example.com' } }, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('a', 1));
    const { setCookies } = await visit(store, jar, (s) => s.destroy());
    expect(parseSetCookie(setCookies[0] as string)).toMatchObject({
      path: '/app',
      domain: 'example.com',
      maxAge: 0,
    });
  });

  it('is final for the request: later changes throw SessionCommittedError', async () => {
    const store = makeStore({}, new Clock());
    const session = await store.load(undefined);
    session.destroy();
    const error = thrown(() => session.set('a', 1)) as SessionCommittedError;
    expect(error).toBeInstanceOf(SessionCommittedError);
    expect(error.code).toBe('ERR_SESSION_COMMITTED');
    expect(error.message).toBe(
      'session was destroyed in this request; call regenerate() to start a new one',
    );
    expect(thrown(() => session.flash('a', 1))).toBeInstanceOf(SessionCommittedError);
    expect(thrown(() => session.clear())).toBeInstanceOf(SessionCommittedError);
    expect(session.keys()).toEqual([]);
  });

  it('with no cookie in the request, writes nothing', async () => {
    const store = makeStore({}, new Clock());
    const { setCookies } = await visit(store, new Map(), (s) => s.destroy());
    expect(setCookies).toEqual([]);
  });
});

describe('regenerate', () => {
  it('starts a new session: new createdAt, empty unless keepData', async () => {
    const clock = new Clock();
    const store = makeStore({}, clock);
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('cart', ['a']));
    const before = (await visit(store, jar)).session.createdAt?.getTime();
    clock.advance(120);
    await visit(store, jar, (s) => {
      s.regenerate();
      expect(s.keys()).toEqual([]);
      s.set('user', 'ada');
    });
    const { session } = await visit(store, jar);
    expect(session.createdAt?.getTime()).toBe((before as number) + 120_000);
    expect(session.toJSON()).toEqual({ user: 'ada' });
  });

  it('with keepData, keeps the data and still gives a new createdAt and a new token', async () => {
    const clock = new Clock();
    const store = makeStore({}, clock);
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('cart', ['a']));
    const oldToken = jar.get('session');
    clock.advance(60);
    const { setCookies } = await visit(store, jar, (s) => s.regenerate({ keepData: true }));
    expect(setCookies).toHaveLength(1);
    expect(jar.get('session')).not.toBe(oldToken);
    const { session } = await visit(store, jar);
    expect(session.toJSON()).toEqual({ cart: ['a'] });
    expect(session.createdAt?.getTime()).toBe(clock.ms);
  });

  it('restarts the absolute lifetime', async () => {
    const clock = new Clock();
    const store = makeStore(
      {
        lifetime: { idleTimeout: 3600, absoluteTimeout: 7200, refreshAfter: 0, clockTolerance: 0 },
      },
      clock,
    );
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('a', 1));
    clock.advance(3000);
    await visit(store, jar, (s) => s.regenerate({ keepData: true }));
    clock.advance(3000);
    await visit(store, jar);
    clock.advance(3000);
    // 9000 s after the first login, 6000 s after regenerate: alive.
    expect((await visit(store, jar)).session.get('a')).toBe(1);
  });

  it('after destroy, starts a fresh writable session', async () => {
    const store = makeStore({}, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('a', 1));
    await visit(store, jar, (s) => {
      s.destroy();
      s.regenerate({ keepData: true });
      expect(s.keys()).toEqual([]);
      s.set('b', 2);
    });
    expect((await visit(store, jar)).session.toJSON()).toEqual({ b: 2 });
  });
});

describe('after the headers are out', () => {
  it("a failed request's session refuses changes, including nested in-place ones", async () => {
    const store = makeStore({}, new Clock());
    const handle = await portOf<Record<string, unknown>>(store).open({ cookie: undefined });
    const session = handle.session;
    session.set('cart', { items: [1] });
    handle.fail();
    handle.fail(); // idempotent: the first failure stands
    const error = thrown(() => session.set('a', 1)) as SessionCommittedError;
    expect(error.code).toBe('ERR_SESSION_COMMITTED');
    expect(error.message).toBe(
      'the request failed, so the session was not saved and cannot be changed',
    );
    expect(thrown(() => (session.get('cart') as { items: number[] }).items.push(2))).toBeInstanceOf(
      TypeError,
    );
    expect(thrown(() => session.destroy())).toBeInstanceOf(SessionCommittedError);
    expect(thrown(() => session.regenerate())).toBeInstanceOf(SessionCommittedError);
  });

  it('save() without an adapter is the commit that store.commit() then answers with', async () => {
    const store = makeStore({}, new Clock());
    const session = await store.load(undefined);
    session.set('user', 'eve');
    await session.save();
    expect(() => session.set('user', 'x')).toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_COMMITTED' }),
    );
    const lines = await store.commit(session);
    expect(lines).toHaveLength(1);
    expect(await store.commit(session)).toEqual(lines);
  });
});
