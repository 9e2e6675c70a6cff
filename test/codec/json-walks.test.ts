// Commit and seal decide "JSON carries this faithfully" with a quick walk and run the walk that
// names the path only when the quick one says no. If the quick walk ever said yes where the
// naming walk throws, a Date or a cycle would be saved as something else: the two must agree
// on every value. set() copies with a third walk, which must agree with them too and give
// exactly what a JSON round trip gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, walks } from '../../src/codec/json-value.js';

function explainingSaysSafe(value: unknown): boolean {
  try {
    walks.explaining(value, 'v');
    return true;
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

describe('the quick JSON walk and the explaining one', () => {
  it('agree on every value', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(walks.quick(value)).toBe(explainingSaysSafe(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('agree when Object.prototype was polluted with an enumerable key (JSON skips it)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = new Date(0);
    try {
      for (const value of [{ a: 1 }, [{ b: [2] }], { c: { d: 'x' } }]) {
        expect(walks.quick(value)).toBe(true);
        expect(explainingSaysSafe(value)).toBe(true);
      }
    } finally {
      delete proto.polluted;
    }
  });

  it('agree on each special value, alone and inside a plain object and an array', () => {
    fc.assert(
      fc.property(special, (value) => {
        for (const wrapped of [value, { k: value }, [value], { k: [{ k: value }] }]) {
          expect(walks.quick(wrapped)).toBe(explainingSaysSafe(wrapped));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the copying walk (set)', () => {
  it('gives exactly what JSON.parse(JSON.stringify(value)) gives, or refuses what the others refuse', () => {
    fc.assert(
      fc.property(values, (value) => {
        const result = walks.copying(value);
        expect(result !== undefined).toBe(explainingSaysSafe(value));
        if (result === undefined) return;
        // toStrictEqual: prototypes, own keys and -0 versus 0 all count.
        expect(result.copy).toStrictEqual(JSON.parse(JSON.stringify(value)));
        if (typeof value === 'object' && value !== null) expect(result.copy).not.toBe(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps key order, turns -0 into 0 and keeps "__proto__" an own key, as JSON does', () => {
    const value = JSON.parse('{"b":1,"2":2,"a":[-0,{"__proto__":{"x":1}}],"1":0}');
    value.a[0] = -0;
    const copy = walks.copying(value)?.copy as typeof value;
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
    expect(Object.keys(copy)).toEqual(['1', '2', 'b', 'a']);
    expect(Object.is(copy.a[0], 0)).toBe(true);
    expect(Object.hasOwn(copy.a[1], '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy.a[1])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('copies every level: changing the copy leaves the original as it was', () => {
    const value = { list: [{ n: 1 }], deep: { more: { n: 2 } } };
    const copy = walks.copying(value)?.copy as typeof value;
    (copy.list[0] as { n: number }).n = 9;
    copy.deep.more.n = 9;
    expect(value).toEqual({ list: [{ n: 1 }], deep: { more: { n: 2 } } });
  });
});
