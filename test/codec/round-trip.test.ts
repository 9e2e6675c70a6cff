import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionRejectedError, SessionValueError } from '../../src/errors.js';
import type { AnySessionData } from '../../src/types.js';
import { Clock } from '../helpers/clock.js';
import { sealAsCookie } from '../helpers/cookie-oracle.js';
import { makeStore, rejected } from '../helpers/store.js';

// The largest budget, so the properties explore data size rather than the cookie limit.
const store = makeStore(
  { cookie: { maxTotalBytes: 65536 }, advanced: { cacheSize: 0 } },
  new Clock(),
);

// Keys that have tripped up JSON-in-JS code: prototype names, empty, numeric-looking, unicode.
const awkwardKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '',
    '0',
    '-1',
    '1e3',
    'a.b',
    'a"b',
    '\\',
    '\u0000',
    '\ud800',
    'ключ',
    '🔑',
  ),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('json'), { maxLength: 6 }),
    fc.dictionary(awkwardKey, tie('json'), { maxKeys: 6 }),
  ),
}));

const dictionary = fc.dictionary(awkwardKey, json, { maxKeys: 8 }).map((d) => d as AnySessionData);

function prototypeIsClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}
const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();

/** JSON.stringify with keys in insertion order: equal strings mean identical data. */
function same(a: unknown, b: unknown): void {
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(a).toEqual(b);
}

afterEach(prototypeIsClean);

describe('seal → unseal round trip', () => {
  it('gives back any JSON dictionary unchanged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(dictionary, async (data) => {
        const token = await store.seal(data);
        const back = await store.unseal(token);
        expect(back).not.toBeInstanceOf(SessionRejectedError);
        same(back, data);
        prototypeIsClean();
      }),
      { numRuns: 200 },
    );
  });

  it('gives back fast-check jsonValue objects unchanged (property)', async () => {
    const objects = fc
      .jsonValue({ maxDepth: 6 })
      .filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
      // -0 is the one JSON number that does not come back as itself; see json-value tests.
      .map((v) => JSON.parse(JSON.stringify(v)) as AnySessionData);
    await fc.assert(
      fc.asyncProperty(objects, async (data) => {
        same(await store.unseal(await store.seal(data)), data);
      }),
      { numRuns: 150 },
    );
  });

  it('gives back any JSON dictionary unchanged with compression on (property)', async () => {
    const compressing = makeStore(
      { cookie: { maxTotalBytes: 65536 }, advanced: { cacheSize: 0, compress: true } },
      new Clock(),
    );
    await fc.assert(
      fc.asyncProperty(dictionary, async (data) => {
        const token = await compressing.seal(data);
        expect(
          JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).zip,
        ).toBe('DEF');
        same(await compressing.unseal(token), data);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps __proto__ and constructor keys as data, at every level, without pollution', async () => {
    const data = JSON.parse(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},' +
        '"nested":{"__proto__":{"polluted":3},"list":[{"__proto__":{"polluted":4}}]}}',
    ) as AnySessionData;
    const back = (await store.unseal(await store.seal(data))) as Record<string, unknown>;
    same(back, data);
    expect(Object.getPrototypeOf(back)).toBeNull();
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.hasOwn(back, 'constructor')).toBe(true);
    const nested = back.nested as Record<string, unknown>;
    expect(Object.hasOwn(nested, '__proto__')).toBe(true);
    expect((nested as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('keeps a session data object with prototype names readable only as its own keys', async () => {
    const session = await store.load(`session=${await sealAsCookie(store, { user: 'x' })}`);
    expect(session.get('constructor')).toBeUndefined();
    expect(session.get('toString')).toBeUndefined();
    expect(session.has('__proto__')).toBe(false);
    expect(session.keys()).toEqual(['user']);
  });

  it('round-trips deep nesting up to the limit and names the path past it', async () => {
    const nest = (depth: number): AnySessionData => {
      let value: AnySessionData = { leaf: '[[{{"\\' };
      for (let i = 1; i < depth; i++) value = { a: value };
      return value;
    };
    const deep = nest(250);
    same(await store.unseal(await store.seal(deep)), deep);
    const error = await rejected(() => store.seal(nest(300)));
    expect(error).toBeInstanceOf(SessionValueError);
    expect((error as SessionValueError).code).toBe('ERR_SESSION_VALUE');
    expect((error as SessionValueError).message).toMatch(
      /^session value at data(\.a){256} is nested deeper than 256 levels$/,
    );
  });

  it('round-trips large arrays and long unicode strings', async () => {
    const data = {
      numbers: Array.from({ length: 3000 }, (_, i) => i * 7 - 1000),
      text: '🔑ключ\u2028\u2029'.repeat(500),
      lone: '\ud800\udfff\udc00',
    };
    same(await store.unseal(await store.seal(data)), data);
  });

  it('gives back a fresh object each time, even from the token cache', async () => {
    const cached = makeStore({ advanced: { cacheSize: 10 } }, new Clock());
    const token = await cached.seal({ list: [1] });
    const first = (await cached.unseal(token)) as { list: number[] };
    first.list.push(2);
    expect(await cached.unseal(token)).toEqual({ list: [1] });
  });
});
