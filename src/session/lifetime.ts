import { type LifetimeClaims, lifetimeClaims } from '../codec/optional-claims.js';
import type { Claims } from '../codec/token-format.js';
import { bad } from '../options/checks.js';
import { SESSION_LIFETIME } from '../options/known-names.js';
import type { SessionLifetime, SessionLifetimeOptions } from '../options/store-options.js';
import { refuseUnknown } from '../options/unknown-names.js';
import { valueShown } from '../util/printable.js';

export type { SessionLifetime, SessionLifetimeOptions } from '../options/store-options.js';

const MIN_SECONDS = 60;

/** How the app wrote a setting of `session.options()`, for its error. */
function optionOfSession(setting: string): string {
  return `session.options({ ${setting} })`;
}

function seconds(setting: string, value: unknown, limit: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_SECONDS) {
    bad(
      optionOfSession(setting),
      `${valueShown(value)} is invalid: use whole seconds from ${MIN_SECONDS}`,
    );
  }
  if (value > limit) {
    bad(
      optionOfSession(setting),
      `${value} is longer than the store's ${setting} (${limit}): a session can shorten its ` +
        'lifetimes, never extend them; raise the store option instead',
    );
  }
  return value;
}

/**
 * The claims a session's choice adds to its token, checked against the store's lifetimes.
 * Merged onto what the session chose before: options given once hold until changed.
 */
export function chooseLifetime(
  store: SessionLifetime,
  current: LifetimeClaims,
  options: SessionLifetimeOptions,
): LifetimeClaims {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    bad(
      optionOfSession('…'),
      'session.options() takes an object of persistent, idleTimeout, absoluteTimeout',
    );
  }
  // A typo would keep the store's lifetime: `{ persistant: false }` on a "remember me"
  // unchecked path would leave the cookie persistent.
  refuseUnknown(options, SESSION_LIFETIME, 'session.options({ ', ' })');
  const { persistent, idleTimeout, absoluteTimeout } = options;
  let { idl, abs, per } = current;
  if (persistent !== undefined) {
    if (typeof persistent !== 'boolean') {
      bad(optionOfSession('persistent'), `${valueShown(persistent)} is invalid: use true or false`);
    }
    if (persistent && !store.persistent) {
      bad(
        optionOfSession('persistent'),
        "true outlives the store's browser-session cookie (cookie.persistent: false): a " +
          'session can shorten its lifetimes, never extend them',
      );
    }
    per = persistent;
  }
  if (idleTimeout !== undefined) idl = seconds('idleTimeout', idleTimeout, store.idleTimeout);
  if (absoluteTimeout !== undefined) {
    abs = seconds('absoluteTimeout', absoluteTimeout, store.absoluteTimeout);
  }
  return lifetimeClaims(idl, abs, per);
}

/**
 * The lifetimes in force: the store's, shortened by the session's choice. The store's bound
 * applies to a choice read from a token too, so lowering a store option takes effect at once.
 */
export function lifetimeOf(store: SessionLifetime, chosen: LifetimeClaims): SessionLifetime {
  // The common session chose nothing: the store's own object, with nothing allocated.
  if (chosen.idl === undefined && chosen.abs === undefined && chosen.per === undefined)
    return store;
  return {
    persistent: store.persistent && chosen.per !== false,
    idleTimeout: Math.min(store.idleTimeout, chosen.idl ?? store.idleTimeout),
    absoluteTimeout: Math.min(store.absoluteTimeout, chosen.abs ?? store.absoluteTimeout),
  };
}

/** A session that chose no lifetimes of its own: one shared object. */
export const NO_CHOICE: LifetimeClaims = Object.freeze({});

/** The lifetime claims within a token's claims. */
export function chosenLifetime(claims: Claims | undefined): LifetimeClaims {
  if (claims === undefined) return NO_CHOICE;
  const { idl, abs, per } = claims;
  if (idl === undefined && abs === undefined && per === undefined) return NO_CHOICE;
  return lifetimeClaims(idl, abs, per);
}

/**
 * Whether a choice is the one a token carries (else it is a change to write, even if the data
 * did not change). Takes the token's claims as they are: nothing is allocated per commit.
 */
export function sameLifetime(a: LifetimeClaims, b: LifetimeClaims | undefined): boolean {
  return a.idl === b?.idl && a.abs === b?.abs && a.per === b?.per;
}
