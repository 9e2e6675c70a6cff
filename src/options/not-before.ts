import { SessionConfigError } from '../errors.js';

// Epoch seconds pass this (year 5138) only when the number was meant as milliseconds.
const LOOKS_LIKE_MILLISECONDS = 1e11;

/**
 * Parses `notBefore` / `SESSION_NOT_BEFORE` (a Date, epoch seconds or an ISO 8601 time) into
 * epoch seconds, and refuses a time later than now plus the clock tolerance: every session
 * created before it is revoked, so a future cutoff would log out each new login on its next
 * request until then. A millisecond count read as seconds is the commonest way to get one.
 */
export function parseNotBefore(
  setting: string,
  value: Date | number | string,
  nowSeconds: number,
  clockTolerance: number,
): number {
  let ms: number;
  let asNumber: number | undefined;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') {
    asNumber = value;
    ms = value * 1000;
  } else if (/^\d+$/.test(value.trim())) {
    asNumber = Number(value.trim());
    ms = asNumber * 1000;
  } else ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new SessionConfigError(
      setting,
      `${JSON.stringify(String(value))} is not a date: use an ISO 8601 time (2026-01-31T12:00:00Z) or epoch seconds`,
    );
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds > nowSeconds + clockTolerance) {
    const hint =
      asNumber !== undefined && asNumber > LOOKS_LIKE_MILLISECONDS
        ? ` ${asNumber} looks like milliseconds: give epoch seconds (${Math.floor(asNumber / 1000)}).`
        : '';
    const when = Number.isFinite(new Date(ms).getTime())
      ? new Date(ms).toISOString()
      : `${seconds} seconds`;
    throw new SessionConfigError(
      setting,
      `${when} is in the future: every session created before it would be revoked, new logins included, so each would be logged out on its next request.${hint} Use the time of the cutoff, at most now.`,
    );
  }
  return seconds;
}
