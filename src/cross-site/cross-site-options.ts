import { SessionConfigError } from '../errors.js';
import type { CrossSiteOptions } from '../options/cross-site-option.js';
import { CROSS_SITE } from '../options/known-names.js';
import { refuseUnknown } from '../options/unknown-names.js';
import type { CrossSiteRequest, CrossSiteSettings } from './cross-site-guard.js';
import { exemptPaths } from './exempt-paths.js';
import { canonicalOrigin } from './origin.js';

/** The settings when `crossSite` is not given: on, trusting no other origin. */
const DEFAULTS: CrossSiteSettings = { trustedOrigins: new Set(), exempt: undefined, token: false };

function trustedOrigins(value: unknown, setting: string): ReadonlySet<string> {
  if (value === undefined) return DEFAULTS.trustedOrigins;
  if (!Array.isArray(value)) {
    throw new SessionConfigError(
      setting,
      'must be an array of origins, e.g. ["https://app.example.com"]',
    );
  }
  const origins = new Set<string>();
  value.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string') {
      throw new SessionConfigError(setting, `entry ${i + 1} is not a string`);
    }
    const parsed = canonicalOrigin(entry);
    if ('problem' in parsed) {
      throw new SessionConfigError(
        setting,
        `entry ${i + 1} (${JSON.stringify(entry)}) ${parsed.problem}`,
      );
    }
    origins.add(parsed.origin);
  });
  return origins;
}

function exempt(value: unknown, setting: string): CrossSiteSettings['exempt'] {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as (request: CrossSiteRequest) => boolean;
  if (!Array.isArray(value)) {
    throw new SessionConfigError(setting, 'must be an array of paths or a function of the request');
  }
  if (value.length === 0) return undefined;
  const listed = exemptPaths(value, setting);
  return (request) => listed(request.url);
}

/**
 * Validates the `crossSite` option once, when the store is created: `false` (the check is
 * off), or the settings the guard reads. Throws SessionConfigError naming the member at fault.
 */
export function parseCrossSiteOptions(
  value: unknown,
  setting = 'crossSite',
): CrossSiteSettings | false {
  if (value === false) return false;
  if (value === undefined) return DEFAULTS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionConfigError(
      setting,
      'must be false (no check) or an object with trustedOrigins, exempt and token; leave it out for the default check',
    );
  }
  refuseUnknown(value, CROSS_SITE, `${setting}.`);
  const options = value as CrossSiteOptions;
  const token = options.token === undefined ? false : options.token;
  if (typeof token !== 'boolean') {
    throw new SessionConfigError(`${setting}.token`, 'must be true or false');
  }
  return {
    trustedOrigins: trustedOrigins(options.trustedOrigins, `${setting}.trustedOrigins`),
    exempt: exempt(options.exempt, `${setting}.exempt`),
    token,
  };
}
