import { parseCrossSiteOptions } from '../cross-site/cross-site-options.js';
import { type Env, processEnv } from '../keys/from-env.js';
import type { EventHook, Hooks, RejectionHook } from '../session/hooks.js';
import { valueShown } from '../util/printable.js';
import { bad, flag, groupOf, integer } from './checks.js';
import {
  ADVANCED,
  COOKIE,
  DATA,
  HOOKS,
  LIFETIME,
  type OptionGroupName,
  REVOCATION,
  TESTING,
  TOP_LEVEL,
} from './known-names.js';
import { parseCookie } from './parse-cookie.js';
import { parseData } from './parse-data.js';
import { parseKeys } from './parse-keys.js';
import { parseLifetime } from './parse-lifetime.js';
import { parseRevocation } from './parse-revocation.js';
import type { AdvancedSettings, Settings } from './settings.js';
import type { AdvancedOptions, HooksOptions, SessionStoreOptions } from './store-options.js';
import { refuseUnknown } from './unknown-names.js';

const PURPOSE = /^[\x21-\x7e]{1,100}$/;

function hookOf<H>(setting: string, value: unknown): H | undefined {
  if (value !== undefined && typeof value !== 'function') {
    bad(setting, 'must be a function (or left out)');
  }
  return value as H | undefined;
}

function parseHooks(options: HooksOptions): Hooks {
  return {
    rejection: hookOf<RejectionHook>('hooks.onRejection', options.onRejection),
    event: hookOf<EventHook>('hooks.onEvent', options.onEvent),
  };
}

function parseAdvanced(options: AdvancedOptions, cookieName: string): AdvancedSettings {
  const { purpose, engine } = options;
  if (purpose !== undefined && (typeof purpose !== 'string' || !PURPOSE.test(purpose))) {
    bad('advanced.purpose', 'must be 1-100 printable ASCII characters without spaces');
  }
  if (engine !== undefined && engine !== 'auto' && engine !== 'webcrypto' && engine !== 'node') {
    bad(
      'advanced.engine',
      `${valueShown(String(engine))} is invalid: use 'auto' (the default), 'node' or 'webcrypto'`,
    );
  }
  return {
    tokenPurpose: purpose === undefined ? cookieName : `${cookieName}/${purpose}`,
    // null is unset here, as it always was for compress.
    compress: flag('advanced.compress', options.compress ?? undefined, false),
    engine: engine ?? 'auto',
    cacheSize: integer('advanced.cacheSize', options.cacheSize, 1000, 0, 1_000_000),
  };
}

/**
 * Checks every option once, when the store is created, and returns them grouped with their
 * defaults. Every unknown name, at any level, is refused before any value is looked at, so
 * a typo is what the message names. Builds nothing: see `buildStoreConfig`.
 */
export function parseOptions(options: SessionStoreOptions<unknown> = {}): Settings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    bad('options', 'must be an object');
  }
  refuseUnknown(options, TOP_LEVEL, '');
  const groups = {
    cookie: groupOf('cookie', options.cookie, 'cookie options'),
    lifetime: groupOf('lifetime', options.lifetime, 'lifetime options'),
    data: groupOf('data', options.data, 'data options (version, migrate, schema)'),
    hooks: groupOf('hooks', options.hooks, 'hook functions (onRejection, onEvent)'),
    advanced: groupOf('advanced', options.advanced, 'advanced options'),
    revocation: groupOf('revocation', options.revocation, 'revocation options'),
    testing: groupOf('testing', options.testing, 'testing inputs (env, now)'),
    // crossSite may be false: its own parse checks it (cross-site-options.ts).
  } satisfies Record<Exclude<OptionGroupName, 'crossSite'>, object>;
  refuseUnknown(groups.cookie, COOKIE, 'cookie.');
  refuseUnknown(groups.lifetime, LIFETIME, 'lifetime.');
  refuseUnknown(groups.data, DATA, 'data.');
  refuseUnknown(groups.hooks, HOOKS, 'hooks.');
  refuseUnknown(groups.advanced, ADVANCED, 'advanced.');
  refuseUnknown(groups.revocation, REVOCATION, 'revocation.');
  refuseUnknown(groups.testing, TESTING, 'testing.');
  const env: Env = groups.testing.env ?? processEnv();
  const now = groups.testing.now ?? Date.now;
  if (typeof now !== 'function') bad('testing.now', 'must be a function returning milliseconds');
  const keys = parseKeys(options.keys);
  const cookie = parseCookie(groups.cookie);
  return {
    keys,
    cookie,
    lifetime: parseLifetime(groups.lifetime, Math.floor(now() / 1000), env.SESSION_NOT_BEFORE),
    data: parseData(groups.data),
    hooks: parseHooks(groups.hooks),
    advanced: parseAdvanced(groups.advanced, cookie.name),
    // Left out is off: `revocation: {}` is on, with every default.
    revocation: parseRevocation(options.revocation === undefined ? undefined : groups.revocation),
    testing: { env, now },
    crossSite: parseCrossSiteOptions(options.crossSite),
  };
}
