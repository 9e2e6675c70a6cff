import { bad, flag, integer } from './checks.js';
import { parseNotBefore } from './not-before.js';
import type { LifetimeOptions } from './store-options.js';

const DAY = 24 * 3600;

/** The `lifetime` group as checked, with its defaults. */
export interface LifetimeSettings {
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly persistent: boolean;
  readonly refreshAfter: number;
  readonly clockTolerance: number;
  /** The mass-logout cutoff in epoch seconds: the option's, else `SESSION_NOT_BEFORE`'s. */
  readonly notBefore: number | undefined;
}

/**
 * Checks the `lifetime` group. The store and the CLI (`rotate`'s wait, `decode`'s verdict)
 * both take their lifetimes from here, so neither can restate a default differently.
 */
export function parseLifetime(
  options: LifetimeOptions,
  nowSeconds: number,
  envNotBefore: string | undefined,
): LifetimeSettings {
  const idleTimeout = integer('lifetime.idleTimeout', options.idleTimeout, 7 * DAY, 60, 400 * DAY);
  // Unset, the absolute lifetime is never shorter than an idle timeout the app chose: a 40-day
  // idle timeout under a silent 30-day cap would not do what it says.
  const absoluteTimeout = integer(
    'lifetime.absoluteTimeout',
    options.absoluteTimeout,
    Math.max(30 * DAY, idleTimeout),
    60,
    400 * DAY,
  );
  if (
    absoluteTimeout < idleTimeout &&
    options.absoluteTimeout !== undefined &&
    options.idleTimeout !== undefined
  ) {
    bad(
      'lifetime.absoluteTimeout',
      `${absoluteTimeout} is shorter than idleTimeout (${idleTimeout}); the idle timeout could never apply`,
    );
  }
  const refreshAfter = options.refreshAfter ?? 0.25;
  if (typeof refreshAfter !== 'number' || !(refreshAfter >= 0 && refreshAfter <= 1)) {
    bad(
      'lifetime.refreshAfter',
      `${String(refreshAfter)} is invalid: use a share of the idle timeout from 0 (every request) to 1`,
    );
  }
  const clockTolerance = integer('lifetime.clockTolerance', options.clockTolerance, 30, 0, 600);
  const [setting, cutoff] =
    options.notBefore === undefined
      ? ['SESSION_NOT_BEFORE', envNotBefore]
      : ['lifetime.notBefore', options.notBefore];
  return {
    idleTimeout,
    absoluteTimeout,
    persistent: flag('lifetime.persistent', options.persistent, true),
    refreshAfter,
    clockTolerance,
    notBefore:
      cutoff === undefined || cutoff === ''
        ? undefined
        : parseNotBefore(setting, cutoff, nowSeconds, clockTolerance),
  };
}
