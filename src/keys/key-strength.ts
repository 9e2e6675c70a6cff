/**
 * Cheap tests for key material that is plainly not random: not an entropy estimate (nothing
 * can prove bytes random), but each pattern here is one a person types or a bug produces
 * (a zeroed buffer with one byte set, a counter, a short text repeated), and none is met by
 * random bytes except with negligible probability (fewer than 16 distinct values among 32
 * random bytes: below 2^-60).
 */

// 32 random bytes have about 30 distinct values; a 32-byte key with fewer than 16 is a
// pattern. Scaled for longer input (passphrases): half its length, at most 16.
const MIN_DISTINCT_BYTES = 16;

/** Why `units` (bytes, or a passphrase's UTF-16 code units) is not a secret, or undefined. */
export function weakness(units: ArrayLike<number>, kind: 'key' | 'passphrase'): string | undefined {
  const length = units.length;
  const distinct = new Set(Array.from(units)).size;
  if (kind === 'key' && distinct < Math.min(MIN_DISTINCT_BYTES, length >> 1)) {
    return `has only ${distinct} distinct byte values; 32 random bytes have about 30`;
  }
  // A unit repeated over the whole secret at least twice (`"abcdefgh" × 4`, a 16-byte block
  // twice): a shorter one already fails the distinct count, for keys.
  const period = shortestPeriod(units, length >> 1);
  if (period !== undefined) {
    return kind === 'key'
      ? `repeats a ${period}-byte pattern`
      : `repeats a ${period}-character pattern`;
  }
  if (isArithmetic(units)) {
    return kind === 'key'
      ? 'is a counting sequence (each byte a fixed step from the one before)'
      : 'is a counting sequence (each character a fixed step from the one before)';
  }
  if (kind === 'passphrase' && predictableSteps(units) * 4 > (length - 1) * 3) {
    return 'is mostly repeated characters, runs (abcd, 1234) and keyboard rows (qwerty)';
  }
  return undefined;
}

// What a person runs a finger along: the alphabet, the digits, the rows of a US keyboard.
const RUNS = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  '`1234567890-=',
  '~!@#$%^&*()_+',
  'qwertyuiop[]\\',
  "asdfghjkl;'",
  'zxcvbnm,./',
];
// Each pair of neighbours in a run, both ways round.
const NEIGHBOURS = new Set(
  RUNS.flatMap((run) =>
    Array.from(run.slice(1), (c, i) => [`${run[i]}${c}`, `${c}${run[i]}`]).flat(),
  ),
);

/**
 * How many characters a person typing a pattern would give after the one before: the same
 * character again, or its neighbour in a run (either case). A random character is that with
 * probability about 1 in 5 even for lowercase letters only, so more than 3 in 4 of them means
 * `aaaa…abcdefgh` or `qwertyuiopasdfgh…`, not chance; dictionary words are not caught.
 */
function predictableSteps(units: ArrayLike<number>): number {
  let count = 0;
  let previous = String.fromCodePoint(units[0] as number).toLowerCase();
  for (let i = 1; i < units.length; i++) {
    const current = String.fromCodePoint(units[i] as number).toLowerCase();
    if (current === previous || NEIGHBOURS.has(previous + current)) count++;
    previous = current;
  }
  return count;
}

/** The shortest p ≤ max such that units[i] === units[i - p] throughout, if any. */
function shortestPeriod(units: ArrayLike<number>, max: number): number | undefined {
  for (let p = 1; p <= max && p < units.length; p++) {
    let repeats = true;
    for (let i = p; i < units.length && repeats; i++) repeats = units[i] === units[i - p];
    if (repeats) return p;
  }
  return undefined;
}

/** True when every step between neighbours is the same (mod 256 for bytes: 250, 251, … 0, 1). */
function isArithmetic(units: ArrayLike<number>): boolean {
  if (units.length < 3) return false;
  const step = ((units[1] as number) - (units[0] as number) + 256) % 256;
  for (let i = 2; i < units.length; i++) {
    if (((units[i] as number) - (units[i - 1] as number) + 256) % 256 !== step) return false;
  }
  return true;
}
