import { KeyRing } from '../keys/key-ring.js';
import { bad } from './checks.js';
import { KEYS } from './known-names.js';
import type { KeysOption } from './store-options.js';
import { refuseUnknown } from './unknown-names.js';

/** The keys as given in code (parsed and checked now), or the variable to read them from. */
export type KeysSettings =
  | { readonly ring: KeyRing; readonly variable?: undefined }
  | { readonly ring?: undefined; readonly variable: string };

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks the `keys` option; a malformed key is an error here, at startup, never printed. */
export function parseKeys(keys: KeysOption | undefined): KeysSettings {
  if (keys === undefined) return { variable: 'SESSION_KEYS' };
  if (typeof keys === 'string' || Array.isArray(keys)) {
    return { ring: KeyRing.from(keys as Exclude<KeysOption, { env: string }>, 'keys') };
  }
  if (typeof keys !== 'object' || keys === null || keys instanceof KeyRing) {
    bad(
      'keys',
      "must be a key list string, an array of entries, or { env: 'NAME' } to read them from the environment",
    );
  }
  refuseUnknown(keys, KEYS, 'keys.');
  const variable = (keys as { env?: unknown }).env;
  if (typeof variable !== 'string' || !VARIABLE.test(variable)) {
    bad('keys.env', `${JSON.stringify(String(variable))} is not an environment variable name`);
  }
  return { variable };
}
