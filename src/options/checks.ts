import { SessionConfigError } from '../errors.js';
import { valueShown } from '../util/printable.js';

/** An entry of a list setting (a key in `keys`, a path in `exemptPaths`): its position from 1. */
export interface SettingEntry {
  readonly setting: string;
  readonly position: number;
}

/**
 * The one way a setting (or one entry of a list setting) is refused: a SessionConfigError
 * naming it, the message saying how to fix it.
 */
export function bad(where: string | SettingEntry, message: string): never {
  if (typeof where === 'string') throw new SessionConfigError(where, message);
  throw new SessionConfigError(where.setting, `entry ${where.position} ${message}`);
}

/** A whole number from `min` to `max`, or `fallback` when left out. */
export function integer(
  setting: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    bad(setting, `${String(value)} is invalid: use whole seconds from ${min} to ${max}`);
  }
  return value;
}

// In plain JavaScript `persistent: 'false'` is truthy and `secure: 0` falsy: taken as they
// come, the one keeps a cookie the app meant to end with the browser, the other drops an
// attribute without a word.
export function flag(setting: string, value: unknown, fallback: boolean): boolean {
  const given = value === undefined ? fallback : value;
  if (typeof given !== 'boolean') bad(setting, `${valueShown(given)} must be true or false`);
  return given;
}

/** A group of options: left out it is empty; otherwise it must be a plain object. */
export function groupOf<T extends object>(setting: string, value: T | undefined, what: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad(setting, `${valueShown(value)} must be an object of ${what}`);
  }
  return value;
}
