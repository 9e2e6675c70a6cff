// The cookie-jar entry on its own: what it reads, what it writes, and a jar that refuses.
import { describe, expect, it } from 'vitest';
import { type CookieJar, type JarCookieOptions, sessionFromJar } from '../../src/adapters/jar.js';
import { SessionReadOnlyError } from '../../src/index.js';
import { makeStore } from '../helpers/store.js';
import { noise } from './support.js';

type Data = { user?: string; blob?: string };

/** A jar like Next.js's: `get` answers `{ name, value }`, `set` records what it was given. */
function objectJar(initial: Map<string, string> = new Map()) {
  const cookies = new Map(initial);
  const writes: [string, string, JarCookieOptions][] = [];
  const jar: CookieJar = {
    get: (name) => (cookies.has(name) ? { value: cookies.get(name) as string } : undefined),
    set: (name, value, options) => {
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
