import { SessionValueError } from '../errors.js';
import { nameShown } from '../util/printable.js';

// Deep enough for any real session, shallow enough that neither this walk nor JSON.parse on
// the way back can run out of stack.
export const MAX_DEPTH = 256;

/** `path` and one key below it, as error messages spell paths: `session.cart`, `list[2]`. */
export function keyPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const shown = nameShown(key);
  return shown === key ? `${path}.${key}` : `${path}[${shown}]`;
}

// Where the walk is, kept as a chain of keys and spelled out only for an error message:
// building every label on the way down cost more than the rest of the walk (seal hot path).
type Path = string | { readonly parent: Path; readonly key: string | number };

function spell(path: Path): string {
  return typeof path === 'string' ? path : keyPath(spell(path.parent), path.key);
}

function describe(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name ? `a ${name}` : 'an object with a custom prototype';
}

// The values check() accepts at once, tested inline so most leaves cost no call.
function isPlainLeaf(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function check(value: unknown, path: Path, ancestors: object[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new SessionValueError(spell(path), `is ${value}, which JSON turns into null`);
      }
      return;
    case 'bigint':
      throw new SessionValueError(
        spell(path),
        'is a BigInt, which JSON cannot carry; store it as a string',
      );
    case 'undefined':
      throw new SessionValueError(spell(path), 'is undefined, which JSON turns into null or drops');
    case 'function':
    case 'symbol':
      throw new SessionValueError(spell(path), `is a ${typeof value}, which JSON cannot carry`);
  }
  if (value === null) return;
  const obj = value as object;
  if (ancestors.includes(obj))
    throw new SessionValueError(spell(path), 'refers back to itself (a cycle)');
  if (ancestors.length >= MAX_DEPTH) {
    throw new SessionValueError(spell(path), `is nested deeper than ${MAX_DEPTH} levels`);
  }
  ancestors.push(obj);
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      if (!(i in obj))
        throw new SessionValueError(spell({ parent: path, key: i }), 'is a hole in a sparse array');
      const item = obj[i];
      if (!isPlainLeaf(item)) check(item, { parent: path, key: i }, ancestors);
    }
    // Named properties on an array (`list.total = 3`) are dropped by JSON too. With no holes
    // (checked above), any own key beyond the indexes is one of those.
    if (Object.keys(obj).length !== obj.length) {
      throw new SessionValueError(
        spell(path),
        'is an array with named properties, which JSON drops',
      );
    }
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const hint = obj instanceof Date ? '; store date.toISOString() or date.getTime()' : '';
      throw new SessionValueError(
        spell(path),
        `is ${describe(obj)}, which JSON would not give back as it was${hint}`,
      );
    }
    // JSON.stringify skips symbol keys without a word: the value would come back without them.
    if (
      Object.getOwnPropertySymbols(obj).some((s) =>
        Object.prototype.propertyIsEnumerable.call(obj, s),
      )
    ) {
      throw new SessionValueError(spell(path), 'has symbol keys, which JSON drops');
    }
    for (const key of Object.keys(obj)) {
      const child = (obj as Record<string, unknown>)[key];
      // An absent optional field: JSON drops it, and reading it back gives undefined again.
      if (child === undefined) continue;
      if (!isPlainLeaf(child)) check(child, { parent: path, key }, ancestors);
    }
  }
  ancestors.pop();
}

/**
 * A plain object as JSON gives one back: Object.prototype or none, and no enumerable symbol
 * keys (JSON.stringify would drop them without a word). The test both quick walks share;
 * `check` makes the same two tests, each with its own message.
 */
function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const symbols = Object.getOwnPropertySymbols(value);
  return !symbols.some((s) => Object.prototype.propertyIsEnumerable.call(value, s));
}

/**
 * The same verdict as `check`, as a yes or no: no path kept on the way down, no error built.
 * Every commit and seal walks the whole session, so this is the walk that usually runs;
 * `check` runs only to explain a value this one refused. A test holds the two to the same
 * answer for any value.
 */
function isJsonSafe(value: unknown, ancestors: object[]): boolean {
  if (typeof value !== 'object') return isPlainLeaf(value);
  if (value === null) return true;
  if (ancestors.includes(value) || ancestors.length >= MAX_DEPTH) return false;
  ancestors.push(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      // A hole reads as undefined, which isPlainLeaf refuses.
      const item: unknown = value[i];
      if (!isPlainLeaf(item) && !isJsonSafe(item, ancestors)) return false;
    }
    if (Object.keys(value).length !== value.length) return false;
  } else {
    if (!isPlainRecord(value)) return false;
    // for-in walks V8's cached key list without copying it (Object.keys would); inherited
    // keys, which only a polluted Object.prototype could have, are skipped as JSON skips them.
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined && !isPlainLeaf(child) && !isJsonSafe(child, ancestors)) return false;
    }
  }
  ancestors.pop();
  return true;
}

// What `copied` answers for a value JSON would not carry as it is.
const REFUSED: unique symbol = Symbol('refused');

/**
 * The copy JSON.parse(JSON.stringify(value)) would give, made in the walk that checks it, or
 * REFUSED where `isJsonSafe` says no. Every `set()` copies what it is given; one walk that
 * builds plain objects costs a fraction of serialising and parsing it again.
 */
function copied(value: unknown, ancestors: object[]): unknown {
  if (typeof value !== 'object') {
    if (!isPlainLeaf(value)) return REFUSED;
    // JSON writes -0 as 0.
    return value === 0 ? 0 : value;
  }
  if (value === null) return null;
  if (ancestors.includes(value) || ancestors.length >= MAX_DEPTH) return REFUSED;
  ancestors.push(value);
  let copy: unknown[] | Record<string, unknown>;
  if (Array.isArray(value)) {
    if (Object.keys(value).length !== value.length) return REFUSED;
    copy = [];
    for (let i = 0; i < value.length; i++) {
      const item = copied(value[i], ancestors);
      if (item === REFUSED) return REFUSED;
      copy.push(item);
    }
  } else {
    if (!isPlainRecord(value)) return REFUSED;
    const record: Record<string, unknown> = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined) continue;
      const item = copied(child, ancestors);
      if (item === REFUSED) return REFUSED;
      // JSON.parse makes "__proto__" an own key; an assignment would set the prototype.
      if (key === '__proto__') {
        Object.defineProperty(record, key, {
          value: item,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else record[key] = item;
    }
    copy = record;
  }
  ancestors.pop();
  return copy;
}

/**
 * A deep copy of `value` as JSON would give it back (plain objects and arrays, -0 as 0), or
 * SessionValueError naming where the first value JSON would change is.
 */
export function copyJsonValue<V>(value: V, path: string): V {
  const copy = copied(value, []);
  if (copy === REFUSED) check(value, path, []);
  return copy as V;
}

/** Throws SessionValueError unless `value` survives JSON unchanged. */
export function assertJsonValue(value: unknown, path: string): void {
  if (!isJsonSafe(value, [])) check(value, path, []);
}

/**
 * Serialises a value that JSON carries faithfully, or throws SessionValueError naming where
 * the first value that would change on the way through is (a Date would come back a string).
 */
export function toJson(value: unknown, path: string): string {
  assertJsonValue(value, path);
  return JSON.stringify(value);
}

/** @internal The walks alone, for the test that holds them to the same verdict. */
export const walks = {
  quick: (value: unknown): boolean => isJsonSafe(value, []),
  copying: (value: unknown): { readonly copy: unknown } | undefined => {
    const copy = copied(value, []);
    return copy === REFUSED ? undefined : { copy };
  },
  explaining: (value: unknown, path: string): void => check(value, path, []),
};
