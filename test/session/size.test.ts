import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { SessionTooLargeError } from '../../src/errors.js';
import { cookieHeaderFrom, type Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, rejected, visit } from '../helpers/store.js';

describe('size limit', () => {
  it('commit throws SessionTooLargeError with size, limit and the largest keys, writing nothing', async () => {
    const store = makeStore({ cookie: { maxTotalBytes: 2048 } }, new Clock());
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('user', 'ada'));
    const before = new Map(jar);

    const session = await store.load(cookieHeaderFrom([], jar));
    session.set('big', 'x'.repeat(3000));
    session.set('medium', 'y'.repeat(500));
    session.set('small', 's');
    const error = (await rejected(() => store.commit(session))) as SessionTooLargeError;
    expect(error).toBeInstanceOf(SessionTooLargeError);
    expect(error.code).toBe('ERR_SESSION_TOO_LARGE');
    expect(error.limit).toBe(2048);
    expect(error.size).toBeGreaterThan(2048);
    expect(error.largestKeys.map((k) => k.key)).toEqual(['big', 'medium', 'user']);
    expect(error.largestKeys[0]).toEqual({ key: 'big', bytes: 3002 });
    expect(error.message).toBe(
      `session needs ${error.size} bytes of cookies but the limit is 2048; largest keys: "big" (3002 B), "medium" (502 B), "user" (5 B)`,
    );
    // Nothing was written, so the browser keeps its cookie, which still opens as before.
    expect(jar).toEqual(before);
    expect((await visit(store, jar)).session.toJSON()).toEqual({ user: 'ada' });
  });

  it('counts the largest keys in UTF-8 bytes', async () => {
    const store = makeStore({ cookie: { maxTotalBytes: 2048 } }, new Clock());
    const session = await store.load(undefined);
    session.set('accents', 'é'.repeat(1000));
    session.set('ascii', 'e'.repeat(1500));
    const error = (await rejected(() => store.commit(session))) as SessionTooLargeError;
    expect(error.largestKeys).toEqual([
      { key: 'accents', bytes: 2002 },
      { key: 'ascii', bytes: 1502 },
    ]);
  });

  it('never writes a truncated chunk: a session over budget by one chunk fails whole', async () => {
    const store = makeStore({ cookie: { maxChunkBytes: 600, maxTotalBytes: 1800 } }, new Clock());
    for (let n = 1000; n < 1600; n += 7) {
      const session = await store.load(undefined);
      session.set('s', 'x'.repeat(n));
      try {
        const lines = await store.commit(session);
        const header = cookieHeaderFrom(lines);
        expect(Buffer.byteLength(`${header}; `)).toBeLessThanOrEqual(1800);
        expect((await store.load(header)).get('s')).toBe('x'.repeat(n));
      } catch (error) {
        expect(error).toBeInstanceOf(SessionTooLargeError);
        expect((error as SessionTooLargeError).size).toBeGreaterThan(1800);
      }
    }
  });

  it('counts bytes of the Set-Cookie line: no line exceeds maxCookieBytes', async () => {
    const store = makeStore(
      {
        cookie: {
          maxChunkBytes: 1000,
          maxTotalBytes: 16000,
          domain: 'example.com',
          path: '/some/long/path',
        },
      },
      new Clock(),
    );
    const jar: Jar = new Map();
    const { setCookies } = await visit(store, jar, (s) => s.set('s', 'é'.repeat(4000)));
    expect(setCookies.length).toBeGreaterThan(5);
    for (const line of setCookies) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(1000);
    expect(parseSetCookie(setCookies[0] as string).value).toMatch(/^\d+~eyJ/);
    expect((await visit(store, jar)).session.get('s')).toBe('é'.repeat(4000));
  });

  it('reports cookie info: bytes, chunks and limit', async () => {
    const store = makeStore({ cookie: { maxChunkBytes: 800 } }, new Clock());
    const jar: Jar = new Map();
    const { session, header } = await visit(store, jar, (s) => s.set('s', 'x'.repeat(1500)));
    expect(session.cookie?.chunks).toBe(jar.size);
    expect(session.cookie?.limit).toBe(6144);
    expect(session.cookie?.bytes).toBe(Buffer.byteLength(`${header}; `));
    const loaded = (await visit(store, jar)).session;
    expect(loaded.cookie?.bytes).toBe(session.cookie?.bytes);
    expect(loaded.cookie?.chunks).toBe(session.cookie?.chunks);
  });
});
