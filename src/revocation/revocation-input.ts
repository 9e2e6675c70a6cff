import { SessionValueError } from '../errors.js';

/** The longest session id or subject a revocation store takes, in UTF-16 code units. */
export const MAX_ID_LENGTH = 256;

/** The longest TTL a store takes: 2^31 - 1 seconds (68 years), far inside what Redis accepts. */
const MAX_TTL_SECONDS = 2 ** 31 - 1;

/**
 * A session id or subject as a key part: percent-encoded, so it holds no ":" (it cannot reach
 * into another key's namespace), no space or control character (keys stay printable in
 * `MONITOR` and logs), and is at most 9 × 256 characters long. Readable ids (letters, digits,
 * `-_.~`) come out unchanged.
 *
 * @throws SessionValueError when the value is not a string of 1 to 256 characters, or holds
 *   a lone surrogate (not text, so not an id any app meant).
 */
export function encodeId(name: 'sessionId' | 'subject', value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    const got = typeof value === 'string' ? `${value.length} characters` : typeof value;
    throw new SessionValueError(
      name,
      `must be a string of 1 to ${MAX_ID_LENGTH} characters (got ${got})`,
    );
  }
  try {
    return encodeURIComponent(value);
  } catch {
    throw new SessionValueError(name, 'holds a lone surrogate: it is not well-formed text');
  }
}

/** @throws SessionValueError unless `value` is a whole number of seconds from 1 to 2^31 - 1. */
export function ttlSeconds(value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_TTL_SECONDS
  ) {
    throw new SessionValueError(
      'ttlSeconds',
      `must be whole seconds from 1 to ${MAX_TTL_SECONDS} (got ${String(value)})`,
    );
  }
  return value;
}

/** @throws SessionValueError unless `value` is whole epoch milliseconds, not negative. */
export function epochMilliseconds(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SessionValueError(
      'before',
      `must be whole epoch milliseconds (got ${String(value)})`,
    );
  }
  return value;
}
