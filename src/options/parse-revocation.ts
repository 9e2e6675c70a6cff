import type { RevocationStore } from '../revocation/revocation-store.js';
import { valueShown } from '../util/printable.js';
import { bad } from './checks.js';
import type { RevocationOptions } from './store-options.js';

/** The `revocation` group as checked: undefined when it was left out (revocation off). */
export interface RevocationSettings {
  /** Undefined: the default, a store in this process's memory (made by the builder). */
  readonly store: RevocationStore | undefined;
  readonly recheckInterval: number;
  readonly timeout: number;
  readonly onUnavailable: 'refuse' | 'allow';
}

function milliseconds(setting: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > 2 ** 31 - 1) {
    bad(setting, `${valueShown(value)} is invalid: use milliseconds from ${min}`);
  }
  return value;
}

export function parseRevocation(
  options: RevocationOptions | undefined,
): RevocationSettings | undefined {
  if (options === undefined) return undefined;
  const { store, onUnavailable = 'refuse' } = options;
  if (store !== undefined) {
    for (const method of ['revokeSession', 'revokeSubject', 'check'] as const) {
      if (typeof store?.[method] !== 'function') {
        bad(
          'revocation.store',
          `must be a RevocationStore (it has no ${method} method): memoryRevocationStore(), redisRevocationStore(client) from jwe-session/redis, or your own`,
        );
      }
    }
  }
  if (onUnavailable !== 'refuse' && onUnavailable !== 'allow') {
    bad(
      'revocation.onUnavailable',
      `${valueShown(onUnavailable)} is invalid: use 'refuse' or 'allow'`,
    );
  }
  return {
    store,
    recheckInterval: milliseconds('revocation.recheckInterval', options.recheckInterval, 1000, 0),
    timeout: milliseconds('revocation.timeout', options.timeout, 150, 1),
    onUnavailable,
  };
}
