import { nameShown, quote } from '../util/printable.js';
import { bad } from './checks.js';

/**
 * The members one options object takes, and what a familiar name from elsewhere (another
 * library, or an older version of this one) means there: a name to suggest (a path such as
 * `lifetime.idleTimeout` when the setting lives in another group), or a sentence saying why
 * there is none. Each group has its own map, so a name is only ever mapped where it was given.
 */
export interface OptionGroup {
  readonly known: readonly string[];
  readonly familiar: ReadonlyMap<string, string | { readonly hint: string }>;
}

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

/** The known name closest to `name` (the first of equals, in the list's order). */
function nearestName(name: string, known: readonly string[]): string {
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
  group: OptionGroup,
  prefix: string,
  suffix = '',
): void {
  for (const name of Object.keys(options)) {
    if (group.known.includes(name)) continue;
    // An odd key is quoted, so it cannot break the message's line.
    const setting = `${prefix}${nameShown(name)}${suffix}`;
    const familiar = group.familiar.get(name);
    if (typeof familiar === 'object') {
      bad(setting, `is not an option: ${familiar.hint}`);
    }
    bad(
      setting,
      `is not an option: did you mean ${quote(familiar ?? nearestName(name, group.known))}? The options are ${group.known.join(', ')}`,
    );
  }
}
