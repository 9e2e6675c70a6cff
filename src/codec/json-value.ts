import { SessionValueError } from '../errors.js';

// Deep enough for any real session, shallow enough that neither this walk nor JSON.parse on
// the way back can run out of stack.
export const MAX_DEPTH = 256;

function label(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name ? `a ${name}` : 'an object with a custom prototype';
}

function check(value: unknown, path: string, ancestors: object[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new SessionValueError(path, `is ${value}, which JSON turns into null`);
      }
      return;
    case 'bigint':
      throw new SessionValueError(
        path,
        'is a BigInt, which JSON cannot carry; store it as a string',
      );
    case 'undefined':
      throw new SessionValueError(path, 'is undefined, which JSON turns into null or drops');
    case 'function':
    case 'symbol':
      throw new SessionValueError(path, `is a ${typeof value}, which JSON cannot carry`);
  }
  if (value === null) return;
  const obj = value as object;
  if (ancestors.includes(obj)) throw new SessionValueError(path, 'refers back to itself (a cycle)');
  if (ancestors.length >= MAX_DEPTH) {
    throw new SessionValueError(path, `is nested deeper than ${MAX_DEPTH} levels`);
  }
  ancestors.push(obj);
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      if (!(i in obj)) throw new SessionValueError(label(path, i), 'is a hole in a sparse array');
      check(obj[i], label(path, i), ancestors);
    }
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const hint = obj instanceof Date ? '; store date.toISOString() or date.getTime()' : '';
      throw new SessionValueError(
        path,
        `is ${describe(obj)}, which JSON would not give back as it was${hint}`,
      );
    }
    for (const key of Object.keys(obj)) {
      const child = (obj as Record<string, unknown>)[key];
      // An absent optional field: JSON drops it, and reading it back gives undefined again.
      if (child === undefined) continue;
      check(child, label(path, key), ancestors);
    }
  }
  ancestors.pop();
}

/**
 * Serialises a value that JSON carries faithfully, or throws SessionValueError naming where
 * the first value that would change on the way through is (a Date would come back a string).
 */
export function toJson(value: unknown, path: string): string {
  check(value, path, []);
  return JSON.stringify(value);
}

/** Throws SessionValueError unless `value` survives JSON unchanged. */
export function assertJsonValue(value: unknown, path: string): void {
  check(value, path, []);
}
