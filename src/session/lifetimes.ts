const DAY = 24 * 3600;

/** A session ends after this long without a request, unless `idleTimeout` says otherwise. */
export const DEFAULT_IDLE_TIMEOUT = 7 * DAY;

/** A session ends this long after it began, however active, unless `absoluteTimeout` says otherwise. */
export const DEFAULT_ABSOLUTE_TIMEOUT = 30 * DAY;

/**
 * The absolute lifetime when none is given. Never shorter than the idle timeout the app
 * chose: a 40-day idle timeout under a silent 30-day cap would not do what it says. The store
 * and `jwe-session rotate` (which tells how long to wait before retiring a key) both use
 * this, so the wait it prints is the lifetime the store enforces.
 */
export function defaultAbsoluteTimeout(idleTimeout: number): number {
  return Math.max(DEFAULT_ABSOLUTE_TIMEOUT, idleTimeout);
}
