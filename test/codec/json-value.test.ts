import { describe, expect, it } from 'vitest';
import { SessionTooLargeError, SessionValueError } from '../../src/errors.js';
import type { Session, SessionStore } from '../../src/index.js';
import type { AnySessionData } from '../../src/types.js';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, rejected, thrown, visit } from '../helpers/store.js';

class Point {
  x = 1;
}
const cycle: Record<string, unknown> = { a: 1 };
cycle.self = cycle;
const deepCycle: Record<string, unknown> = { list: [{}] };
(deepCycle.list as Record<string, unknown>[])[0] = { back: deepCycle };

// [label, value, path under key "v", message fragment]
const cases: [string, unknown, string, string][] = [
  ['a BigInt', 10n, 'v', 'is a BigInt, which JSON cannot carry; store it as a string'],
  ['a function', () => 1, 'v', 'is a function, which JSON cannot carry'],
  ['a symbol', Symbol('s'), 'v', 'is a symbol, which JSON cannot carry'],
  ['a cycle', cycle, 'v.self', 'refers back to itself (a cycle)'],
  ['a cycle through an array', deepCycle, 'v.list[0].back', 'refers back to itself (a cycle)'],
  [
    'a Date',
    new Date(0),
    'v',
    'is a Date, which JSON would not give back as it was; store date.toISOString() or date.getTime()',
  ],
  ['a Map', new Map([[1, 2]]), 'v', 'is a Map, which JSON would not give back as it was'],
  ['a Set', new Set([1]), 'v', 'is a Set, which JSON would not give back as it was'],
  ['a class instance', new Point(), 'v', 'is a Point, which JSON would not give back as it was'],
  ['a RegExp', /x/, 'v', 'is a RegExp'],
  ['a typed array', new Uint8Array(2), 'v', 'is a Uint8Array'],
  ['a boxed string', new String('x'), 'v', 'is a String'],
  [
    'undefined in an array',
    [1, undefined],
    'v[1]',
    'is undefined, which JSON turns into null or drops',
  ],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point
  ['a sparse array', [1, , 3], 'v[1]', 'is a hole in a sparse array'],
  ['NaN', { n: Number.NaN }, 'v.n', 'is NaN, which JSON turns into null'],
  ['Infinity', [Number.POSITIVE_INFINITY], 'v[0]', 'is Infinity, which JSON turns into null'],
  ['-Infinity', { deep: { x: Number.NEGATIVE_INFINITY } }, 'v.deep.x', 'is -Infinity'],
  [
    'a BigInt under an awkward key',
    { 'a b': [{ 'x"y': 1n }] },
    'v["a b"][0]["x\\"y"]',
    'is a BigInt',
  ],
];

function expectValueError(error: unknown, path: string, fragment: string): void {
  expect(error).toBeInstanceOf(SessionValueError);
  const e = error as SessionValueError;
  expect(e.code).toBe('ERR_SESSION_VALUE');
  expect(e.path).toBe(path);
  expect(e.message).toBe(`session value at ${path} ${e.problem}`);
  expect(e.problem).toContain(fragment);
}

describe('values JSON cannot carry faithfully', () => {
  it.each(cases)(
    'session.set refuses %s at once, naming the path',
    async (_, value, path, fragment) => {
      const store = makeStore({}, new Clock());
      const session = await store.load(undefined);
      expectValueError(
        thrown(() => session.set('v', value as never)),
        path,
        fragment,
      );
      expect(session.has('v')).toBe(false);
    },
  );

  it.each(cases)(
    'store.seal refuses %s, naming the path under data',
    async (_, value, path, fragment) => {
      const store = makeStore({}, new Clock());
      expectValueError(
        await rejected(() => store.seal({ v: value } as AnySessionData)),
        `data.${path}`,
        fragment,
      );
    },
  );

  it('commit refuses a value put in place after set, naming its path', async () => {
    const store = makeStore({}, new Clock());
    const session = await store.load(undefined);
    session.set('cart', { items: [] });
    (session.get('cart') as { items: unknown[] }).items.push(new Date(0));
    expectValueError(
      await rejected(() => store.commit(session)),
      'session.cart.items[0]',
      'is a Date',
    );
  });

  it('flash refuses what JSON cannot carry, naming the flash key', async () => {
    const store = makeStore({}, new Clock());
    const session = await store.load(undefined);
    expectValueError(
      thrown(() => session.flash('notice', { at: new Map() } as never)),
      'flash.notice.at',
      'is a Map',
    );
  });

  it('accepts null-prototype objects, and skips absent (undefined) object fields', async () => {
    const store = makeStore({}, new Clock());
    const bare = Object.assign(Object.create(null), { a: 1 });
    const token = await store.seal({ bare, opt: undefined, nested: { gone: undefined, kept: 0 } });
    expect(await store.unseal(token)).toEqual({ bare: { a: 1 }, nested: { kept: 0 } });
  });
});

describe('values JSON would silently trim', () => {
  it('refuses enumerable symbol keys, naming the object', async () => {
    const store = makeStore({}, new Clock());
    const session = await store.load(undefined);
    const value = { a: 1, [Symbol('secret')]: 2 };
    expectValueError(
      thrown(() => session.set('v', { inner: value } as never)),
      'v.inner',
      'has symbol keys, which JSON drops',
    );
  });

  it('refuses named properties on an array', async () => {
    const store = makeStore({}, new Clock());
    const list = Object.assign([1, 2], { total: 3 });
    expectValueError(
      await rejected(() => store.seal({ list })),
      'data.list',
      'is an array with named properties, which JSON drops',
    );
  });

  it('documents -0: JSON gives back 0 (accepted, since Math.round can make it)', async () => {
    const store = makeStore({}, new Clock());
    expect(await store.unseal(await store.seal({ n: -0 }))).toEqual({ n: 0 });
  });
});

// Session data read back from JSON has no prototype, so a key named "__proto__" stays a key:
// on an ordinary object, `data.__proto__ = value` would replace the prototype and the value
// would never be saved.
describe('records read back from JSON', () => {
  async function protoKeptAfter(
    store: SessionStore,
    jar: Jar,
    before: (session: Session<AnySessionData>) => Promise<void> = async () => {},
  ): Promise<unknown> {
    await visit(store, jar, async (session) => {
      await before(session);
      session.set('__proto__', { a: 1 });
    });
    return (await visit(store, jar)).session.get('__proto__');
  }

  it('keeps "__proto__" a key in a session loaded from a cookie', async () => {
    const store = makeStore();
    const jar: Jar = new Map();
    await visit(store, jar, (session) => session.set('n', 1));
    expect(await protoKeptAfter(store, jar)).toEqual({ a: 1 });
  });

  it('keeps "__proto__" a key in a session a migration replaced on read', async () => {
    const jar: Jar = new Map();
    await visit(makeStore(), jar, (session) => session.set('n', 1));
    const store = makeStore({
      data: { version: 2, migrate: (data) => ({ ...data, v2: true }) as AnySessionData },
    });
    expect(await protoKeptAfter(store, jar)).toEqual({ a: 1 });
  });

  it('keeps "__proto__" a key in a session given back after a commit that failed', async () => {
    const store = makeStore();
    const jar: Jar = new Map();
    await visit(store, jar, (session) => session.set('n', 1));
    const kept = await protoKeptAfter(store, jar, async (session) => {
      session.set('big', 'x'.repeat(20_000));
      await expect(store.commit(session)).rejects.toThrow(SessionTooLargeError);
      session.set('big', undefined);
    });
    expect(kept).toEqual({ a: 1 });
  });
});
