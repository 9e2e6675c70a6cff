// Before a system is timed: what it seals must open to the same value, and the same token
// with one character changed (at several places) must be refused.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEPARATORS = new Set(['.', '*', '~']);

/** The token with one character changed near `fraction` of its length (never a separator). */
export function modified(token, fraction) {
  let i = Math.floor(token.length * fraction);
  while (SEPARATORS.has(token[i])) i++;
  const c = token[i];
  const replacement = ALPHABET[(ALPHABET.indexOf(c) + 17) % ALPHABET.length];
  return token.slice(0, i) + replacement + token.slice(i + 1);
}

async function open(system, token) {
  try {
    return system.payloadOf(await system.unseal(token));
  } catch {
    return undefined;
  }
}

const same = (a, b) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** Throws unless the system round-trips `payload` and rejects modified tokens. */
export async function check(system, payload) {
  const token = await system.seal(payload);
  if (!same(await open(system, token), payload)) {
    throw new Error(`${system.name}: unseal(seal(x)) did not give x back`);
  }
  const fractions = [0.1, 0.3, 0.5, 0.7, 0.9];
  for (const fraction of fractions) {
    const bad = modified(token, fraction);
    if (bad === token) throw new Error(`${system.name}: could not modify the token`);
    if ((await open(system, bad)) !== undefined) {
      throw new Error(`${system.name}: accepted a token with one character changed`);
    }
  }
  return { bytes: token.length, modifiedRejected: fractions.length };
}
