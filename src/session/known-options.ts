import type { CookieOptions } from '../cookie/attributes.js';
import { SessionConfigError } from '../errors.js';
import { nameShown, quote } from '../util/printable.js';

/**
 * Every `cookie` option: one entry per property of CookieOptions, so a forgotten or extra name
 * is a type error. (The store's own list is beside its options type, in store-options.ts.)
 */
const COOKIE_OPTIONS: { readonly [K in keyof Required<CookieOptions>]: true } = {
  secure: true,
  httpOnly: true,
  sameSite: true,
  path: true,
  domain: true,
  partitioned: true,
  priority: true,
  persistent: true,
};

export const KNOWN_COOKIE_OPTIONS = Object.keys(COOKIE_OPTIONS) as (keyof CookieOptions)[];

/** Edit distance (insertions, deletions, substitutions; case ignored). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitute = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      row.push(Math.min(substitute, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return previous[y.length] as number;
}

// Names other session libraries use (express-session, iron-session, cookie-session), which no
// spelling distance would lead to: where the same setting lives here.
const FAMILIAR = new Map([
  ['secret', 'keys'],
  ['secrets', 'keys'],
  ['password', 'keys'],
  ['name', 'cookieName'],
  ['ttl', 'idleTimeout'],
  ['maxAge', 'idleTimeout'],
  ['cookieOptions', 'cookie'],
]);
// The cookie's lifetime follows the session's expiry; `persistent` is the switch.
const FAMILIAR_COOKIE = new Map([
  ['maxAge', 'persistent'],
  ['expires', 'persistent'],
]);

/** The known name closest to `name` (the first of equals, in the list's order). */
export function nearestName(name: string, known: readonly string[]): string {
  const familiar = (known === KNOWN_COOKIE_OPTIONS ? FAMILIAR_COOKIE : FAMILIAR).get(name);
  if (familiar !== undefined && known.includes(familiar)) return familiar;
  let best = known[0] as string;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Refuses a property that is not an option: in plain JavaScript a typo (`idleTimout`,
 * `cokie`) would otherwise be ignored, and the default it meant to change kept silently.
 * The setting is named `<prefix><name><suffix>`.
 */
export function refuseUnknown(
  options: object,
  known: readonly string[],
  prefix: string,
  suffix = '',
): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    // An odd key is quoted, so it cannot break the message's line.
    throw new SessionConfigError(
      `${prefix}${nameShown(name)}${suffix}`,
      `is not an option: did you mean ${quote(nearestName(name, known))}? The options are ${known.join(', ')}`,
    );
  }
}
