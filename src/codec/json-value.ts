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

/** An object that is not an array: what a session's data, its flash and a token's body are. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A JSON object text as a fresh record with a null prototype, so a key named "constructor"
 * or "__proto__" is only ever data. For text this library wrote; JSON.parse throws on any other.
 */
export function parseRecord(json: string): Record<string, unknown> {
  return Object.setPrototypeOf(JSON.parse(json), null);
}

/**
 * A fresh copy of a record `parseRecord` made that nobody has changed: what JSON.parse would
 * give for its text again (plain objects and arrays, a "__proto__" key an own key, the same
 * key order), for a sixth of what parsing a small session's text costs. Each token-cache hit
 * gets one, so no two requests share an object.
 */
export function copyRecord(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null);
  for (const key in record) copy[key] = copyParsed(record[key]);
  return copy;
}

function copyParsed(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    for (let i = 0; i < value.length; i++) list.push(copyParsed(value[i]));
    return list;
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    // Inherited keys, which only a polluted Object.prototype could have, are not the data's.
    if (!Object.hasOwn(value, key)) continue;
    const child = copyParsed((value as Record<string, unknown>)[key]);
    // An assignment to "__proto__" would set the prototype; JSON.parse makes it an own key.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: child,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else copy[key] = child;
  }
  return copy;
}

// One walk decides what JSON gives back as it is, for set() (which keeps a copy) and for
// commit and seal (which need only the verdict). It carries no path on the way down: every
// set, commit and seal walks the whole session, and building each label cost more than the
// rest of the walk. A refusal records its problem, and the keys above it are added as the
// walk unwinds, so only an error pays for its path.
interface Walk {
  readonly copying: boolean;
  /**
   * Whether for-in can meet keys that are not the object's own: only when Object.prototype
   * has an enumerable key (polluted). Asked once per walk, so a clean one pays no own-key
   * check per key (a fifth of walking a 3 KB cart on Node 26).
   */
  readonly inherits: boolean;
  readonly ancestors: object[];
  problem: string;
  /** From the refused value up to the top; made only on a refusal. */
  keys: (string | number)[] | undefined;
}

const REFUSED: unique symbol = Symbol('refused');

function refuse(walk: Walk, problem: string): typeof REFUSED {
  walk.problem = problem;
  return REFUSED;
}

function under(walk: Walk, key: string | number): typeof REFUSED {
  walk.keys ??= [];
  walk.keys.push(key);
  return REFUSED;
}

function describe(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name ? `a ${name}` : 'an object with a custom prototype';
}

// The leaves JSON carries as they are, tested inline so most leaves cost no call.
function isPlainLeaf(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * `value` as JSON.parse(JSON.stringify(value)) gives it back (a fresh copy when copying,
 * else `value` itself), or REFUSED where that would not be the value as it is.
 */
function walked(value: unknown, walk: Walk): unknown {
  if (typeof value !== 'object') return walkedLeaf(value, walk);
  if (value === null) return null;
  const { ancestors } = walk;
  if (ancestors.includes(value)) return refuse(walk, 'refers back to itself (a cycle)');
  if (ancestors.length >= MAX_DEPTH) {
    return refuse(walk, `is nested deeper than ${MAX_DEPTH} levels`);
  }
  ancestors.push(value);
  const result = Array.isArray(value) ? walkedArray(value, walk) : walkedObject(value, walk);
  ancestors.pop();
  return result;
}

function walkedLeaf(value: unknown, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return refuse(walk, `is ${value}, which JSON turns into null`);
      // JSON writes -0 as 0.
      return value === 0 ? 0 : value;
    case 'bigint':
      return refuse(walk, 'is a BigInt, which JSON cannot carry; store it as a string');
    case 'undefined':
      return refuse(walk, 'is undefined, which JSON turns into null or drops');
    default:
      return refuse(walk, `is a ${typeof value}, which JSON cannot carry`);
  }
}

function walkedArray(list: unknown[], walk: Walk): unknown {
  const copy: unknown[] | undefined = walk.copying ? [] : undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const out = isPlainLeaf(item) ? (item === 0 ? 0 : item) : walked(item, walk);
    if (out === REFUSED) {
      // A hole reads as undefined; JSON writes it as null all the same.
      if (!(i in list)) walk.problem = 'is a hole in a sparse array';
      return under(walk, i);
    }
    copy?.push(out);
  }
  // Named properties on an array (`list.total = 3`) are dropped by JSON too. With no holes
  // (checked above), any own key beyond the indexes is one of those.
  if (Object.keys(list).length !== list.length) {
    return refuse(walk, 'is an array with named properties, which JSON drops');
  }
  return copy ?? list;
}

// A loop of its own: a closure over the object inside the walk would make V8 keep the walk's
// variables in a context allocated on every call (measured: the check went 14% slower).
function hasSymbolKeys(obj: object): boolean {
  for (const s of Object.getOwnPropertySymbols(obj)) {
    if (Object.prototype.propertyIsEnumerable.call(obj, s)) return true;
  }
  return false;
}

function walkedObject(obj: object, walk: Walk): unknown {
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    const hint = obj instanceof Date ? '; store date.toISOString() or date.getTime()' : '';
    return refuse(walk, `is ${describe(obj)}, which JSON would not give back as it was${hint}`);
  }
  // JSON.stringify skips symbol keys without a word: the value would come back without them.
  if (hasSymbolKeys(obj)) return refuse(walk, 'has symbol keys, which JSON drops');
  const copy: Record<string, unknown> | undefined = walk.copying ? {} : undefined;
  // for-in walks V8's cached key list without copying it (Object.keys would); inherited keys,
  // which only a polluted Object.prototype could have (see Walk.inherits), are skipped as
  // JSON skips them.
  for (const key in obj) {
    if (walk.inherits && !Object.hasOwn(obj, key)) continue;
    const child = (obj as Record<string, unknown>)[key];
    // An absent optional field: JSON drops it, and reading it back gives undefined again.
    if (child === undefined) continue;
    const out = isPlainLeaf(child) ? (child === 0 ? 0 : child) : walked(child, walk);
    if (out === REFUSED) return under(walk, key);
    if (!copy) continue;
    // JSON.parse makes "__proto__" an own key; an assignment would set the prototype.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: out,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else copy[key] = out;
  }
  return copy ?? obj;
}

const NO_KEYS = Object.freeze({});

/** Whether a for-in over a plain object would list inherited keys (Object.prototype's). */
function prototypeHasKeys(): boolean {
  for (const _ in NO_KEYS) return true;
  return false;
}

function walkJson(value: unknown, path: string, copying: boolean): unknown {
  const inherits = prototypeHasKeys();
  const state: Walk = { copying, inherits, ancestors: [], problem: '', keys: undefined };
  const result = walked(value, state);
  if (result !== REFUSED) return result;
  const at = (state.keys ?? []).reduceRight<string>(keyPath, path);
  throw new SessionValueError(at, state.problem);
}

/**
 * A deep copy of `value` as JSON would give it back (plain objects and arrays, -0 as 0), or
 * SessionValueError naming where the first value JSON would change is. Every `set()` copies
 * what it is given; one walk that builds plain objects costs a fraction of serialising and
 * parsing it again.
 */
export function copyJsonValue<V>(value: V, path: string): V {
  return walkJson(value, path, true) as V;
}

/** Throws SessionValueError unless `value` survives JSON unchanged. */
export function assertJsonValue(value: unknown, path: string): void {
  walkJson(value, path, false);
}

/**
 * Serialises a value that JSON carries faithfully, or throws SessionValueError naming where
 * the first value that would change on the way through is (a Date would come back a string).
 */
export function toJson(value: unknown, path: string): string {
  assertJsonValue(value, path);
  return JSON.stringify(value);
}
