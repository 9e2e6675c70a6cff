import { SessionConfigError } from '../errors.js';
import { usageError } from './io.js';

// The store names its options as an app writes them; on the command line they are flags.
const FLAGS: Readonly<Record<string, string>> = {
  'cookie.name': '--cookie-name',
  'cookie.maxTotalBytes': '--max-total-bytes',
  'advanced.purpose': '--purpose',
  'lifetime.idleTimeout': '--idle-timeout',
  'lifetime.absoluteTimeout': '--absolute-timeout',
  'lifetime.clockTolerance': '--clock-tolerance',
  'lifetime.notBefore': '--not-before',
};

/**
 * Runs the store's own option checks for a command, so the CLI judges settings exactly as an
 * app would; a refused setting is reported as a usage error under the flag that gave it.
 */
export function withStoreChecks<T>(command: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    const flag = error instanceof SessionConfigError ? FLAGS[error.setting] : undefined;
    if (flag === undefined || !(error instanceof SessionConfigError)) throw error;
    throw usageError(`${flag} ${error.problem}`, command);
  }
}
