// The cheap paths of a request that changes nothing: a cookie this store sealed is read back
// without decrypting, a session handed back synchronously when nothing needs decrypting, and
// data the app never touched is neither serialised nor frozen; none of them may change what
// the app sees or what is saved.
import { compactDecrypt } from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import { portOf } from '../../src/session/port.js';
import { Session } from '../../src/session/session.js';
import type { Jar } from '../helpers/browser-jar.js';
import { cookieHeaderFrom } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, visit } from '../helpers/store.js';

vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>();
  return { ...jose, compactDecrypt: vi.fn(jose.compactDecrypt) };
});
const decryptSpy = vi.mocked(compactDecrypt);
// What decrypts is counted on jose's compactDecrypt: these stores run on it. The node engine,
// the default on Node, is synchronous throughout (test/codec/engines.test.ts).
const JOSE = { engine: 'webcrypto' } as const;

type Data = { user?: string; cart?: { sku: string }[] };

beforeEach(() => {
  decryptSpy.mockClear();
});

describe('a cookie this store sealed', () => {
  it('is read back on the next request without decrypting it', async () => {
    const store = makeStore<Data>({ advanced: JOSE });
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('cart', [{ sku: 'a' }]));
    const next = await visit(store, jar);
    expect(next.session.get('cart')).toEqual([{ sku: 'a' }]);
    expect(decryptSpy).not.toHaveBeenCalled();
  });

  it('is decrypted when the cache is off', async () => {
    const store = makeStore<Data>({ advanced: { ...JOSE, cacheSize: 0 } });
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('user', 'ada'));
    expect((await visit(store, jar)).session.get('user')).toBe('ada');
    expect(decryptSpy).toHaveBeenCalledTimes(1);
  });

  it('still expires on time when it was never decrypted', async () => {
    const clock = new Clock();
    const store = makeStore<Data>({ lifetime: { idleTimeout: 600 }, advanced: JOSE }, clock);
    const jar: Jar = new Map();
    const first = await visit(store, jar, (s) => s.set('user', 'ada'));
    clock.advance(600 + 31);
    const late = await store.load(first.header);
    expect(late.rejection?.reason).toBe('expired');
    expect(late.get('user')).toBeUndefined();
    expect(decryptSpy).not.toHaveBeenCalled();
  });

  it('brings its flash values to the next request, once', async () => {
    const store = makeStore<Data>({ advanced: JOSE });
    const jar: Jar = new Map();
    await visit(store, jar, (s) => {
      s.set('user', 'ada');
      s.flash('notice', { text: 'saved' });
    });
    const next = await visit(store, jar);
    expect(next.session.getFlash('notice')).toEqual({ text: 'saved' });
    expect((await visit(store, jar)).session.getFlash('notice')).toBeUndefined();
    expect(decryptSpy).not.toHaveBeenCalled();
  });

  it('gives each request its own copy of the data', async () => {
    const store = makeStore<Data>({ advanced: JOSE });
    const jar: Jar = new Map();
    const { header } = await visit(store, jar, (s) => s.set('cart', [{ sku: 'a' }]));
    const one = await store.load(header);
    one.get('cart')?.push({ sku: 'b' });
    expect((await store.load(header)).get('cart')).toEqual([{ sku: 'a' }]);
  });

  it('gives every hit what JSON.parse gives, deep copies that share nothing', async () => {
    const store = makeStore({ advanced: JOSE });
    const jar: Jar = new Map();
    const nested = JSON.parse('{"b":1,"2":[{"x":[1,{"y":null}]}],"__proto__":{"p":true},"a":"s"}');
    const { header } = await visit(store, jar, (s) => {
      s.set('n', nested);
      s.set('list', [[1, 2], { k: 'v' }]);
    });
    const sealed = JSON.stringify((await store.load(header)).toJSON());
    for (let hit = 0; hit < 3; hit++) {
      const session = await store.load(header);
      const n = session.get('n') as Record<string, unknown>;
      // An own "__proto__" key, as JSON.parse makes it, not a prototype.
      expect(Object.getPrototypeOf(n)).toBe(Object.prototype);
      expect(Object.hasOwn(n, '__proto__')).toBe(true);
      expect(Object.keys(n)).toEqual(['2', 'b', '__proto__', 'a']);
      expect(JSON.stringify(session.toJSON())).toBe(sealed);
      // Changed in place: the next hit still gets the sealed data.
      ((n['2'] as { x: unknown[] }[])[0] as { x: unknown[] }).x.push('changed');
      (session.get('list') as unknown[][])[0]?.push(3);
    }
    expect(decryptSpy).not.toHaveBeenCalled();
  });
});

describe('session.cookie of a loaded cookie, made when it is read', () => {
  it('says what the browser holds: the loaded cookie, then what each commit wrote', async () => {
    const clock = new Clock();
    const store = makeStore<Data>({ lifetime: { idleTimeout: 600 }, advanced: JOSE }, clock);
    const jar: Jar = new Map();
    const first = await visit(store, jar, (s) => s.set('user', 'ada'));
    const written = first.session.cookie;
    expect(written?.expiresAt.getTime()).toBe(clock.now() + 600_000);
    clock.advance(60);
    // Read before and after an unchanged commit: the loaded cookie's, the same object.
    const loaded = await store.load(first.header);
    const info = loaded.cookie;
    expect(info).toEqual(written);
    await store.commit(loaded);
    expect(loaded.cookie).toBe(info);
    // Read only after the commit that deleted it: none.
    const emptied = await store.load(first.header);
    emptied.destroy();
    expect(await store.commit(emptied)).toHaveLength(1);
    expect(emptied.cookie).toBeUndefined();
    // Read only after the commit that wrote a new one: the new one's.
    const changed = await store.load(first.header);
    changed.set('user', 'grace');
    await store.commit(changed);
    expect(changed.cookie?.expiresAt.getTime()).toBe(clock.now() + 600_000);
  });
});

describe('loading without a promise', () => {
  it('hands back the session at once for a cached token or no cookie, a promise to decrypt', async () => {
    const store = makeStore<Data>({ advanced: JOSE });
    const port = portOf<Data>(store);
    const sealed = makeStore<Data>({ advanced: { ...JOSE, cacheSize: 0 } });
    const jar: Jar = new Map();
    const { header } = await visit(store, jar, (s) => s.set('user', 'ada'));
    const load = (cookie: string) => port.open({ cookie });
    const cached = load(header);
    expect(cached).not.toBeInstanceOf(Promise);
    expect((cached as Awaited<typeof cached>).session).toBeInstanceOf(Session);
    expect((cached as Awaited<typeof cached>).session.get('user')).toBe('ada');
    expect(load('')).not.toBeInstanceOf(Promise);
    expect(load('other=1')).not.toBeInstanceOf(Promise);
    // A token refused by its header needs no decryption either.
    const refused = load('session=not.a.token') as Awaited<ReturnType<typeof load>>;
    expect(refused.session.rejection).toBeInstanceOf(SessionRejectedError);

    const other = cookieHeaderFrom(await sealed.commit(withUser(await sealed.load(''), 'bo')));
    const pending = load(other);
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).session.get('user')).toBe('bo');
  });
});

function withUser(session: Session<Data>, user: string): Session<Data> {
  session.set('user', user);
  return session;
}

describe('data the app never touched', () => {
  it('is committed as unchanged without serialising it', async () => {
    const store = makeStore<Data>();
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('user', 'ada'));
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const { setCookies } = await visit(store, jar, (s) => {
        expect(s.get('user')).toBe('ada');
        expect(s.has('cart')).toBe(false);
        expect(s.keys()).toEqual(['user']);
      });
      expect(setCookies).toEqual([]);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('regenerate() drops the loaded data even when nothing is set after it', async () => {
    const store = makeStore<Data>();
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('user', 'ada'));
    const { setCookies } = await visit(store, jar, (s) => s.regenerate());
    expect(setCookies).toHaveLength(1);
    expect(jar.size).toBe(0);
    const kept = await visit(store, jar, (s) => s.set('user', 'bo'));
    await visit(store, jar, (s) => s.regenerate({ keepData: true }));
    expect(kept.session.get('user')).toBe('bo');
    expect((await visit(store, jar)).session.get('user')).toBe('bo');
  });

  it('an object read after the response started comes back frozen', async () => {
    const store = makeStore<Data>();
    const jar: Jar = new Map();
    const { header } = await visit(store, jar, (s) => s.set('cart', [{ sku: 'a' }]));
    const handle = await portOf<Data>(store).open({ cookie: header });
    const session = handle.session;
    handle.fail();
    const cart = session.get('cart') as { sku: string }[];
    expect(Object.isFrozen(cart)).toBe(true);
    expect(() => cart.push({ sku: 'b' })).toThrow(TypeError);
    expect(() => {
      (cart[0] as { sku: string }).sku = 'z';
    }).toThrow(TypeError);
  });

  it('an object read before is frozen with the rest when the response starts', async () => {
    const store = makeStore<Data>();
    const jar: Jar = new Map();
    const { header } = await visit(store, jar, (s) => s.set('cart', [{ sku: 'a' }]));
    const handle = await portOf<Data>(store).open({ cookie: header });
    const cart = handle.session.get('cart') as { sku: string }[];
    handle.fail();
    expect(() => cart.push({ sku: 'b' })).toThrow(TypeError);
  });
});
