// Session data: keys named like Object.prototype members are data, never prototypes; values
// JSON would change on the way through are refused where they are set or committed.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionValueError } from '../../src/errors.js';
import type { Session } from '../../src/index.js';
import { sealAsCookie } from '../helpers/cookie-oracle.js';
import { cookieHeaderOf, forge, makeStore, plaintext } from './support.js';

afterEach(() => {
  // A test that polluted would poison the rest of the run: fail here and clean up.
  const polluted = Object.hasOwn(Object.prototype, 'polluted');
  delete (Object.prototype as Record<string, unknown>).polluted;
  expect(polluted).toBe(false);
});

const HOSTILE = `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},"nested":{"__proto__":{"polluted":"yes"}}}`;

describe('prototype pollution', () => {
  it('keeps hostile keys in sealed data as data', async () => {
    const store = makeStore();
    const token = await forge(store, plaintext({ d: JSON.parse(HOSTILE), f: JSON.parse(HOSTILE) }));
    const session = (await store.load(`session=${token}`)) as Session<Record<string, unknown>>;
    expect(session.rejection).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(session.get('constructor')).toEqual({ prototype: { polluted: 'yes' } });
    expect(session.get('constructor')).not.toBe(Object);
    expect(session.get('__proto__')).toEqual({ polluted: 'yes' });
    expect(session.get('prototype')).toEqual({ polluted: 'yes' });
    expect(session.get('polluted')).toBeUndefined();
    expect(session.keys().sort()).toEqual(['__proto__', 'constructor', 'nested', 'prototype']);
    expect(session.getFlash('constructor')).toEqual({ prototype: { polluted: 'yes' } });
    expect(session.getFlash('polluted')).toBeUndefined();
    const nested = session.get('nested') as Record<string, unknown>;
    expect(Object.hasOwn(nested, '__proto__')).toBe(true);
    expect(nested.polluted).toBeUndefined();
    // toJSON gives a plain copy that still holds the keys as data.
    const copy = session.toJSON();
    expect(Object.keys(copy).sort()).toEqual(['__proto__', 'constructor', 'nested', 'prototype']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not answer absent keys from Object.prototype', async () => {
    const store = makeStore();
    const session = await store.load(`session=${await sealAsCookie(store, { a: 1 })}`);
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(session.get(key)).toBeUndefined();
      expect(session.has(key)).toBe(false);
    }
    expect(session.getFlash('toString')).toBeUndefined();
  });

  it('stores __proto__ set on a loaded session as a value, and round-trips it', async () => {
    const store = makeStore();
    const loaded = await store.load(`session=${await sealAsCookie(store, { a: 1 })}`);
    expect(loaded.isNew).toBe(false);
    loaded.set('__proto__', { polluted: 'yes' });
    loaded.set('constructor', 'data');
    expect(loaded.get('__proto__')).toEqual({ polluted: 'yes' });
    expect(loaded.get('polluted')).toBeUndefined();
    const again = await store.load(cookieHeaderOf(await store.commit(loaded)));
    expect(again.get('__proto__')).toEqual({ polluted: 'yes' });
    expect(again.get('constructor')).toBe('data');
    expect(again.get('a')).toBe(1);
  });

  it('stores __proto__ set on a new session as a value, and round-trips it', async () => {
    const store = makeStore();
    const session = await store.load(undefined);
    session.set('__proto__', { polluted: 'yes' });
    session.flash('__proto__', { polluted: 'yes' });
    const again = await store.load(cookieHeaderOf(await store.commit(session)));
    expect(again.get('__proto__')).toEqual({ polluted: 'yes' });
    expect(again.getFlash('__proto__')).toEqual({ polluted: 'yes' });
  });
});

describe('values JSON cannot carry', () => {
  class Point {
    x = 1;
  }
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  let deep: unknown = 'leaf';
  for (let i = 0; i < 300; i++) deep = [deep];

  for (const [label, value, path, problem] of [
    ['a Date', { when: new Date(0) }, 'v.when', /is a Date.*toISOString/],
    ['a Map', new Map([[1, 2]]), 'v', /is a Map/],
    ['a Set', new Set([1]), 'v', /is a Set/],
    ['a class instance', new Point(), 'v', /is a Point/],
    ['a BigInt', { n: 1n }, 'v.n', /is a BigInt/],
    ['NaN', [Number.NaN], 'v[0]', /is NaN/],
    ['Infinity', { x: Number.POSITIVE_INFINITY }, 'v.x', /is Infinity/],
    ['a function', { f: () => 1 }, 'v.f', /is a function/],
    ['a symbol', { s: Symbol('x') }, 'v.s', /is a symbol/],
    ['undefined in an array', [1, undefined], 'v[1]', /is undefined/],
    ['a hole', sparse, 'v[1]', /hole in a sparse array/],
    ['a cycle', cyclic, 'v.self', /cycle/],
    ['a typed array', new Uint8Array(2), 'v', /is a Uint8Array/],
    ['too deep a nesting', deep, /^v(\[0\])+$/, /nested deeper than 256/],
  ] as const) {
    it(`refuses ${label} at set(), naming where it is`, async () => {
      const session = (await makeStore().load(undefined)) as Session<Record<string, unknown>>;
      let error: unknown;
      try {
        session.set('v', value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SessionValueError);
      const valueError = error as SessionValueError;
      expect(valueError.code).toBe('ERR_SESSION_VALUE');
      if (typeof path === 'string') expect(valueError.path).toBe(path);
      else expect(valueError.path).toMatch(path);
      expect(valueError.message).toMatch(problem);
      expect(session.has('v')).toBe(false);
    });
  }

  it('refuses a bad value put in place (through get()) after set(), at commit', async () => {
    const store = makeStore();
    const session = (await store.load(undefined)) as Session<Record<string, unknown>>;
    session.set('profile', { name: 'alice' });
    (session.get('profile') as Record<string, unknown>).born = new Date(0);
    await expect(store.commit(session as Session)).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_VALUE', path: 'session.profile.born' }),
    );
  });

  it("keeps its own copy of what set() is given: the app's object is never aliased or frozen", async () => {
    const store = makeStore();
    const defaults = { tags: ['a'] };
    for (let i = 0; i < 2; i++) {
      const session = (await store.load(undefined)) as Session<Record<string, unknown>>;
      session.set('prefs', defaults);
      defaults.tags.push(`late${i}`); // after set(): not the session's business
      await store.commit(session as Session);
      expect(Object.isFrozen(defaults.tags)).toBe(false);
      expect(session.get('prefs')).toEqual({ tags: i === 0 ? ['a'] : ['a', 'late0'] });
    }
  });

  it('refuses a bad value in seal()', async () => {
    await expect(makeStore().seal({ when: new Date(0) } as never)).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_VALUE', path: 'data.when' }),
    );
  });

  it('refuses a bad flash value', async () => {
    const session = await makeStore().load(undefined);
    expect(() => session.flash('f', { n: 1n } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_VALUE', path: 'flash.f.n' }),
    );
  });

  it('never puts the value itself in the error message', async () => {
    const session = (await makeStore().load(undefined)) as Session<Record<string, unknown>>;
    const secret = 'card-4111111111111111';
    try {
      session.set('v', { secret, when: new Date(0), n: 12345678901234567890n });
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
      expect((e as Error).message).not.toContain('1970');
    }
    try {
      session.set('v', { big: 12345678901234567890n });
    } catch (e) {
      expect((e as Error).message).not.toContain('12345678901234567890');
    }
  });

  it('round-trips strings full of brackets and quotes (depth counts structure only)', async () => {
    const store = makeStore();
    const session = await store.load(undefined);
    const awkward = ['['.repeat(400), '{'.repeat(400), `"\\[${'['.repeat(300)}`, '\\"[[[['];
    session.set('awkward', awkward);
    const again = await store.load(cookieHeaderOf(await store.commit(session)));
    expect(again.rejection).toBeUndefined();
    expect(again.get('awkward')).toEqual(awkward);
  });
});
