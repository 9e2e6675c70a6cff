// One walk decides "JSON gives this back as it is" for set() (which copies) and for commit
// and seal (which only check). These hold it to JSON itself: what it accepts, it copies
// exactly as a JSON round trip would; what it refuses, a round trip would break or change;
// and checking and copying refuse the same values with the same error.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertJsonValue, copyJsonValue, MAX_DEPTH } from '../../src/codec/json-value.js';
import { SessionValueError } from '../../src/errors.js';

/** The error `run` throws, or undefined. */
function refusal(run: () => unknown): SessionValueError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SessionValueError);
    return error as SessionValueError;
  }
}

/** JSON.parse(JSON.stringify(value)) is `value` as it was: same prototypes, keys and numbers. */
function survivesJson(value: unknown): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value);
  } catch {
    return false;
  }
}

class Point {
  x = 1;
}

const sym = Symbol('s');
const withSymbol = { a: 1, [sym]: 2 };
const hiddenSymbol = Object.defineProperty({ a: 1 }, sym, { value: 2, enumerable: false });
const named = Object.assign([1, 2], { total: 3 });
const cycle: Record<string, unknown> = { a: 1 };
cycle.self = cycle;
const nullProto = Object.assign(Object.create(null), { a: [1, { b: 2 }] });
function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
  return value;
}

const special = fc.constantFrom<unknown>(
  new Date(0),
  new Map([[1, 2]]),
  new Set([1]),
  new Point(),
  /re/,
  new Uint8Array(2),
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  undefined,
  () => 1,
  sym,
  10n,
  // biome-ignore lint/suspicious/noSparseArray: a hole is what this checks
  [1, , 3],
  named,
  withSymbol,
  hiddenSymbol,
  cycle,
  nullProto,
  { a: undefined, b: 1 },
  [undefined],
  nested(MAX_DEPTH - 2),
  nested(MAX_DEPTH + 2),
);

const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    special,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('the JSON walk', () => {
  it('refuses the same values, with the same path and problem, when checking and when copying', () => {
    fc.assert(
      fc.property(values, (value) => {
        const checking = refusal(() => assertJsonValue(value, 'v'));
        const copying = refusal(() => copyJsonValue(value, 'v'));
        expect(copying?.message).toBe(checking?.message);
      }),
      { numRuns: 3000 },
    );
  });

  it('copies what it accepts exactly as JSON.parse(JSON.stringify(value)) gives it', () => {
    fc.assert(
      fc.property(values, (value) => {
        let copy: unknown;
        if (refusal(() => (copy = copyJsonValue(value, 'v')))) return;
        // toStrictEqual: prototypes, own keys and -0 versus 0 all count.
        expect(copy).toStrictEqual(JSON.parse(JSON.stringify(value)));
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses only what a JSON round trip would break or change (or nest too deep)', () => {
    fc.assert(
      fc.property(values, (value) => {
        const refused = refusal(() => assertJsonValue(value, 'v'));
        if (refused && !refused.problem.startsWith('is nested deeper')) {
          expect(survivesJson(value)).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('gives one verdict on each special value, alone and inside a plain object and an array', () => {
    const wraps: [(value: unknown) => unknown, string][] = [
      [(value) => value, 'v'],
      [(value) => ({ k: value }), 'v.k'],
      [(value) => [value], 'v[0]'],
      [(value) => ({ k: [{ k: value }] }), 'v.k[0].k'],
    ];
    fc.assert(
      fc.property(special, (value) => {
        for (const [wrap, path] of wraps) {
          const wrapped = wrap(value);
          const checking = refusal(() => assertJsonValue(wrapped, 'v'));
          const copying = refusal(() => copyJsonValue(wrapped, 'v'));
          expect(copying?.message).toBe(checking?.message);
          if (checking) expect(checking.path.startsWith(path)).toBe(true);
          else expect(survivesJson(copyJsonValue(wrapped, 'v'))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('accepts objects when Object.prototype was polluted with an enumerable key (JSON skips it)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = new Date(0);
    try {
      for (const value of [{ a: 1 }, [{ b: [2] }], { c: { d: 'x' } }]) {
        expect(() => assertJsonValue(value, 'v')).not.toThrow();
        expect(Object.keys(copyJsonValue(value, 'v'))).toEqual(Object.keys(value));
      }
    } finally {
      delete proto.polluted;
    }
  });
});

describe('the copy (set)', () => {
  it('keeps key order, turns -0 into 0 and keeps "__proto__" an own key, as JSON does', () => {
    const value = JSON.parse('{"b":1,"2":2,"a":[-0,{"__proto__":{"x":1}}],"1":0}');
    value.a[0] = -0;
    const copy = copyJsonValue(value, 'v');
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
    expect(Object.keys(copy)).toEqual(['1', '2', 'b', 'a']);
    expect(Object.is(copy.a[0], 0)).toBe(true);
    expect(Object.hasOwn(copy.a[1], '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy.a[1])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('copies every level: changing the copy leaves the original as it was', () => {
    const value = { list: [{ n: 1 }], deep: { more: { n: 2 } } };
    const copy = copyJsonValue(value, 'v');
    (copy.list[0] as { n: number }).n = 9;
    copy.deep.more.n = 9;
    expect(value).toEqual({ list: [{ n: 1 }], deep: { more: { n: 2 } } });
  });
});
