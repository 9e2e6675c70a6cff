import { SessionConfigError } from '../errors.js';
import { KeyRing } from '../keys/key-ring.js';
import type { Parsed } from './args.js';
import { stringOption } from './args.js';
import type { CliIo } from './io.js';
import { usageError } from './io.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface KeyList {
  /** The entries as the ring reads them (split on commas, trimmed). */
  readonly entries: readonly string[];
  readonly ring: KeyRing;
  /** `--keys` or the variable's name: what errors and output call it. */
  readonly source: string;
}

/** The variable `--keys-env` names, default SESSION_KEYS; checked so it can be echoed. */
export function keysEnvName(parsed: Parsed, command: string): string {
  const name = stringOption(parsed, 'keys-env') ?? 'SESSION_KEYS';
  if (!ENV_NAME.test(name)) {
    throw usageError('--keys-env must be an environment variable name', command);
  }
  return name;
}

/**
 * The key list from `--keys`, else from the environment; undefined when neither is set.
 * Validation is KeyRing.from's: its errors name the source and the entry's position, never
 * the secret, and a SessionConfigError is reported as it is.
 */
export function readKeyList(parsed: Parsed, io: CliIo, command: string): KeyList | undefined {
  const flag = stringOption(parsed, 'keys');
  const variable = keysEnvName(parsed, command);
  const source = flag === undefined ? variable : '--keys';
  const text = (flag ?? io.env[variable] ?? '').trim();
  if (text === '') {
    if (flag !== undefined) throw new SessionConfigError('--keys', 'is empty');
    return undefined;
  }
  const ring = KeyRing.from(text, source);
  return { entries: text.split(',').map((e) => e.trim()), ring, source };
}
