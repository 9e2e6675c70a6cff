/**
 * Whether two byte strings are equal, in a time that depends on their length only: every
 * byte is compared whatever the first difference, so the time a refusal takes does not tell
 * an attacker how many leading bytes of a guessed MAC were right.
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}
