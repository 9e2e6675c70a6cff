// The cookie-jar entry on its own: what it reads, what it writes, and a jar that refuses.
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { type CookieJar, type JarCookieOptions, sessionFromJar } from '../../src/adapters/jar.js';
import { SessionReadOnlyError } from '../../src/errors.js';
import type { SessionEvent } from '../../src/index.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, rejected } from '../helpers/store.js';
import { noise } from './support.js';

// Read once, at the first trace: set before any test runs, so this file sees what
// NODE_DEBUG=jwe-session prints (each test file has its own copy of the modules).
vi.stubEnv('NODE_DEBUG', 'jwe-session');
let stderr: MockInstance<typeof console.error>;
beforeEach(() => {
  stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  stderr.mockRestore();
});

/** The NODE_DEBUG lines printed since the test began. */
function traces(): string[] {
  return stderr.mock.calls.map((call) => String(call[0]));
}

type Data = { user?: string; blob?: string };

/** A jar like Next.js's: `get` answers `{ name, value }`, `set` records what it was given. */
function objectJar(
  initial: Map<string, string> = new Map(),
  refuse: (name: string) => boolean = () => false,
) {
  const cookies = new Map(initial);
  const writes: [string, string, JarCookieOptions][] = [];
  const jar: CookieJar = {
    get: (name) => (cookies.has(name) ? { value: cookies.get(name) as string } : undefined),
    set: (name, value, options) => {
      if (refuse(name)) throw new Error(`refused ${name}`);
      writes.push([name, value, options]);
      if (options.maxAge === 0) cookies.delete(name);
      else cookies.set(name, value);
    },
  };
  return { jar, cookies, writes };
}

describe('sessionFromJar', () => {
  it('writes every chunk with the attributes as options, reads them back, and deletes them', async () => {
    const store = makeStore<Data>();
    const { jar, cookies, writes } = objectJar();
    const first = await sessionFromJar(store, jar);
    first.set('blob', noise('jar', 3500));
    await first.save();
    expect(cookies.size).toBeGreaterThan(1);
    const [, , options] = writes[0] as [string, string, JarCookieOptions];
    expect(options).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
    expect(options.maxAge).toBeGreaterThan(0);

    const second = await sessionFromJar(store, jar);
    expect(second.get('blob')).toBe(first.get('blob'));
    second.destroy();
    await second.save();
    expect(cookies.size).toBe(0);
    expect(writes.filter(([, , o]) => o.maxAge === 0).length).toBeGreaterThan(1);
  });

  it('turns a jar that refuses writes into SessionReadOnlyError, naming what to do', async () => {
    const store = makeStore<Data>();
    const jar: CookieJar = {
      get: () => undefined,
      set: () => {
        throw new Error('Cookies can only be modified in a Server Action or Route Handler.');
      },
    };
    const session = await sessionFromJar(store, jar);
    session.set('user', 'ann');
    const error = await session.save().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SessionReadOnlyError);
    expect((error as SessionReadOnlyError).code).toBe('ERR_SESSION_READ_ONLY');
    expect((error as Error).message).toMatch(/Server Action or Route Handler/);
  });

  it('gives generic advice for a refused write: only the Next.js entry names its framework', async () => {
    const store = makeStore<Data>();
    // SvelteKit's `event.cookies` once the response has been generated.
    const jar: CookieJar = {
      get: () => undefined,
      set: () => {
        throw new Error('Cannot use `cookies.set(...)` after the response has been generated');
      },
    };
    const session = await sessionFromJar(store, jar);
    session.set('user', 'ann');
    const error = (await rejected(() => session.save())) as Error;
    expect(error).toBeInstanceOf(SessionReadOnlyError);
    expect(error.message).toContain('after the response has been generated');
    expect(error.message).toMatch(/where the framework lets the request set cookies/);
    expect(error.message).not.toMatch(/Next|Server Component|Server Action|proxy/);
  });

  it('a refused write fails the commit: every later save() writes everything again, and throws while the jar refuses', async () => {
    const store = makeStore<Data>();
    const readOnly = objectJar(new Map(), () => true);
    const session = await sessionFromJar(store, readOnly.jar);
    session.set('user', 'ann');
    for (let i = 0; i < 3; i++) {
      expect(await rejected(() => session.save())).toBeInstanceOf(SessionReadOnlyError);
    }
    expect(readOnly.cookies.size).toBe(0);
    // Nothing was committed: the session is still the app's to change.
    session.set('user', 'bob');

    // The same for a commit that only deletes: the cookie is still the browser's.
    const writable = objectJar();
    const saved = await sessionFromJar(store, writable.jar);
    saved.set('user', 'ann');
    await saved.save();
    const refusing = objectJar(writable.cookies, () => true);
    const ending = await sessionFromJar(store, refusing.jar);
    ending.destroy();
    for (let i = 0; i < 2; i++) {
      expect(await rejected(() => ending.save())).toBeInstanceOf(SessionReadOnlyError);
    }
    expect(ending.cookie?.keyId).toBe('k1');
    expect(refusing.cookies.has('session')).toBe(true);
  });

  it('a jar that refuses the second chunk: save() throws until every chunk is written, then the session reads back', async () => {
    const store = makeStore<Data>();
    const blob = noise('chunks', 3500);
    let refusing = true;
    const { jar, cookies, writes } = objectJar(
      new Map(),
      (name) => refusing && name === 'session.1',
    );
    const session = await sessionFromJar(store, jar);
    session.set('blob', blob);
    expect(await rejected(() => session.save())).toBeInstanceOf(SessionReadOnlyError);
    expect(await rejected(() => session.save())).toBeInstanceOf(SessionReadOnlyError);
    // What the jar took of it is half a token, which the next request refuses rather than joins.
    expect([...cookies.keys()]).toEqual(['session']);
    const half = await sessionFromJar(store, jar);
    expect(half.rejection?.reason).toBe('malformed');
    expect(half.keys()).toEqual([]);

    refusing = false;
    writes.length = 0;
    await session.save();
    expect(writes.map(([name]) => name)).toEqual(['session', 'session.1']);
    await session.save();
    expect(writes).toHaveLength(2);
    const next = await sessionFromJar(store, jar);
    expect(next.rejection).toBeUndefined();
    expect(next.get('blob')).toBe(blob);
  });

  it('traces and reports a re-seal only once the jar took it', async () => {
    const old = makeStore<Data>({ keys: keyEntry('old') });
    const sealed = objectJar();
    const first = await sessionFromJar(old, sealed.jar);
    first.set('user', 'ann');
    await first.save();

    const events: SessionEvent[] = [];
    const rotated = makeStore<Data>({
      keys: `${keyEntry('new')},${keyEntry('old')}`,
      hooks: {
        onEvent: (event) => {
          events.push(event);
        },
      },
    });
    const readOnly: CookieJar = {
      get: (name) => sealed.cookies.get(name),
      set: () => {
        throw new Error('read-only');
      },
    };
    const refused = await sessionFromJar(rotated, readOnly);
    expect(await rejected(() => refused.save())).toBeInstanceOf(SessionReadOnlyError);
    expect(await rejected(() => refused.save())).toBeInstanceOf(SessionReadOnlyError);
    expect(traces().filter((line) => line.includes('re-sealed'))).toEqual([]);
    expect(events).toEqual([]);

    const written = await sessionFromJar(rotated, sealed.jar);
    await written.save();
    expect(traces().filter((line) => line.includes('re-sealed'))).toEqual([
      expect.stringMatching(/: cookie "session" re-sealed: key "old" -> "new"$/),
    ]);
    expect(events).toEqual([
      { type: 'reseal', cookieName: 'session', fromKeyId: 'old', toKeyId: 'new' },
    ]);
  });

  it('gives a garbage cookie an empty session with a reason, never a throw', async () => {
    const store = makeStore<Data>();
    const { jar } = objectJar(new Map([['session', 'not.a.token.at.all']]));
    const session = await sessionFromJar(store, jar);
    expect(session.keys()).toEqual([]);
    expect(session.rejection?.reason).toBe('malformed');
  });
});

describe('error names', () => {
  it('are stated by each class, so they survive minified class names', async () => {
    const errors = await import('../../src/errors.js');
    for (const [exported, value] of Object.entries(errors)) {
      if (typeof value !== 'function' || exported === 'SessionError') continue;
      // What a minifier does: the class itself gets a short name.
      const renamed = class extends (value as new (...args: never[]) => Error) {};
      Object.defineProperty(renamed, 'name', { value: 'a' });
      expect((Object.create(renamed.prototype) as Error).name, exported).toBe(exported);
    }
  });
});
