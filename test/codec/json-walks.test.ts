// Commit and seal decide "JSON carries this faithfully" with a quick walk and run the walk that
// names the path only when the quick one says no. If the quick walk ever said yes where the
// naming walk throws, a Date or a cycle would be saved as something else: the two must agree
// on every value.
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
