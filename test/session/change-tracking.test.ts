import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, visit } from '../helpers/store.js';

type Cart = { items: { sku: string; qty: number }[]; meta?: { note?: string } };
type Data = { user?: string; cart?: Cart; tags?: string[]; blob?: string };

async function started() {
  const clock = new Clock();
  const store = makeStore<Data>({}, clock);
  const jar: Jar = new Map();
  await visit(store, jar, (s) => {
    s.set('user', 'ada');
    s.set('cart', { items: [{ sku: 'a', qty: 1 }], meta: {} });
    s.set('tags', ['x']);
  });
  return { clock, store, jar };
}

describe('change tracking', () => {
  it('a new visitor who stores nothing gets no cookie', async () => {
    const store = makeStore<Data>({}, new Clock());
    const { setCookies } = await visit(store, new Map(), (s) => {
      s.get('user');
    });
    expect(setCookies).toEqual([]);
  });

  it('an unchanged session produces no Set-Cookie, however it is read', async () => {
    const { store, jar } = await started();
    const { setCookies } = await visit(store, jar, (s) => {
      s.get('cart');
      s.toJSON();
      s.keys();
      s.has('user');
    });
    expect(setCookies).toEqual([]);
  });

  it('setting a value equal to the current one is not a change', async () => {
    const { store, jar } = await started();
    const { setCookies } = await visit(store, jar, (s) => {
      s.set('user', 'ada');
      s.set('tags', ['x']);
    });
    expect(setCookies).toEqual([]);
  });

  it('a top-level set, delete or clear is saved', async () => {
    const { store, jar } = await started();
    expect((await visit(store, jar, (s) => s.set('user', 'bob'))).setCookies).toHaveLength(1);
    expect((await visit(store, jar, (s) => s.get('user'))).session.get('user')).toBe('bob');
    await visit(store, jar, (s) => {
      expect(s.delete('tags')).toBe(true);
      expect(s.delete('tags')).toBe(false);
    });
    expect((await visit(store, jar)).session.has('tags')).toBe(false);
  });

  it('an in-place change to a nested object is detected and saved', async () => {
    const { store, jar } = await started();
    const { setCookies } = await visit(store, jar, (s) => {
      (s.get('cart') as Cart).items.push({ sku: 'b', qty: 2 });
    });
    expect(setCookies).toHaveLength(1);
    const next = await visit(store, jar);
    expect(next.session.get('cart')?.items).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 2 },
    ]);
    expect(next.setCookies).toEqual([]);
  });

  it('a deep in-place change (a nested field of a nested object) is saved', async () => {
    const { store, jar } = await started();
    await visit(store, jar, (s) => {
      const cart = s.get('cart') as Cart;
      (cart.meta as { note?: string }).note = 'gift';
      (cart.items[0] as { qty: number }).qty = 5;
    });
    const { session } = await visit(store, jar);
    expect(session.get('cart')).toEqual({ items: [{ sku: 'a', qty: 5 }], meta: { note: 'gift' } });
  });

  it('an in-place change to an array of strings is saved', async () => {
    const { store, jar } = await started();
    await visit(store, jar, (s) => {
      (s.get('tags') as string[])[0] = 'y';
    });
    expect((await visit(store, jar)).session.get('tags')).toEqual(['y']);
  });

  it('toJSON gives a copy: changing it changes nothing', async () => {
    const { store, jar } = await started();
    const { setCookies } = await visit(store, jar, (s) => {
      const copy = s.toJSON() as Data;
      copy.user = 'mallory';
      copy.cart?.items.push({ sku: 'z', qty: 9 });
    });
    expect(setCookies).toEqual([]);
  });

  it('clearing every value deletes the cookie rather than sealing an empty session', async () => {
    const { store, jar } = await started();
    const { setCookies } = await visit(store, jar, (s) => s.clear());
    expect(setCookies).toHaveLength(1);
    expect(parseSetCookie(setCookies[0] as string)).toMatchObject({
      name: 'session',
      value: '',
      maxAge: 0,
    });
    expect(jar.size).toBe(0);
  });

  it("a second commit gives the first one's lines; a change after a commit throws", async () => {
    const { store, jar } = await started();
    const session = await store.load([...jar].map(([n, v]) => `${n}=${v}`).join('; '));
    session.set('user', 'bob');
    const first = await store.commit(session);
    expect(first).toHaveLength(1);
    expect(await store.commit(session)).toEqual(first);
    expect(() => session.set('user', 'cy')).toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_COMMITTED' }),
    );
    expect(await store.commit(session)).toEqual(first);
  });

  it('a failed commit locks nothing: the app can put the data back and commit again', async () => {
    const { store, jar } = await started();
    const session = await store.load([...jar].map(([n, v]) => `${n}=${v}`).join('; '));
    session.set('blob', 'x'.repeat(20_000));
    await expect(store.commit(session)).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_TOO_LARGE' }),
    );
    session.set('blob', undefined);
    session.set('user', 'dee');
    const lines = await store.commit(session);
    expect(lines).toHaveLength(1);
    expect((await store.load(lines[0]?.split(';')[0])).get('user')).toBe('dee');
  });
});
