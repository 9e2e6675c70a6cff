import type {
  AdvancedOptions,
  CookieOptions,
  CrossSiteOptions,
  DataOptions,
  HooksOptions,
  LifetimeOptions,
  RevocationOptions,
  SessionLifetimeOptions,
  SessionStoreOptions,
  TestingOptions,
} from './store-options.js';
import type { OptionGroup } from './unknown-names.js';

// Every group's members, one entry per property of its type: the mapped types make a
// forgotten or extra name a type error, so a member added to a type must be added here too.
type Members<T> = { readonly [K in keyof Required<T>]: true };

function group<T>(
  members: Members<T>,
  familiar: Iterable<readonly [string, string | { readonly hint: string }]> = [],
): OptionGroup {
  return { known: Object.keys(members), familiar: new Map(familiar) };
}

// What other session libraries (express-session, iron-session, cookie-session) call a setting,
// and where each name this library used before its options were grouped went: upgrading is
// one error message per option.
export const TOP_LEVEL = group<SessionStoreOptions>(
  {
    keys: true,
    cookie: true,
    lifetime: true,
    data: true,
    hooks: true,
    advanced: true,
    revocation: true,
    testing: true,
    crossSite: true,
  },
  [
    ['secret', 'keys'],
    ['secrets', 'keys'],
    ['password', 'keys'],
    ['keysEnv', 'keys'],
    ['name', 'cookie.name'],
    ['cookieName', 'cookie.name'],
    ['cookieOptions', 'cookie'],
    ['maxCookieBytes', 'cookie.maxChunkBytes'],
    ['maxTotalBytes', 'cookie.maxTotalBytes'],
    ['ttl', 'lifetime.idleTimeout'],
    ['maxAge', 'lifetime.idleTimeout'],
    ['idleTimeout', 'lifetime.idleTimeout'],
    ['absoluteTimeout', 'lifetime.absoluteTimeout'],
    ['persistent', 'lifetime.persistent'],
    ['refreshAfter', 'lifetime.refreshAfter'],
    ['clockTolerance', 'lifetime.clockTolerance'],
    ['notBefore', 'lifetime.notBefore'],
    ['version', 'data.version'],
    ['migrate', 'data.migrate'],
    ['schema', 'data.schema'],
    ['onRejection', 'hooks.onRejection'],
    ['onEvent', 'hooks.onEvent'],
    ['purpose', 'advanced.purpose'],
    ['compress', 'advanced.compress'],
    ['engine', 'advanced.engine'],
    ['cacheSize', 'advanced.cacheSize'],
    ['env', 'testing.env'],
    ['now', 'testing.now'],
    ['csrf', 'crossSite'],
    ['csrfProtection', 'crossSite'],
    ['trustedOrigins', 'crossSite.trustedOrigins'],
  ],
);

export const KEYS = group<{ env: string }>({ env: true }, [
  ['name', 'env'],
  ['variable', 'env'],
]);

// The cookie's lifetime follows the session's expiry: `lifetime.persistent` is the switch.
export const COOKIE = group<CookieOptions>(
  {
    name: true,
    secure: true,
    httpOnly: true,
    sameSite: true,
    path: true,
    domain: true,
    partitioned: true,
    priority: true,
    maxChunkBytes: true,
    maxTotalBytes: true,
  },
  [
    ['maxAge', 'lifetime.persistent'],
    ['expires', 'lifetime.persistent'],
    ['persistent', 'lifetime.persistent'],
    ['maxCookieBytes', 'maxChunkBytes'],
  ],
);

export const LIFETIME = group<LifetimeOptions>(
  {
    idleTimeout: true,
    absoluteTimeout: true,
    persistent: true,
    refreshAfter: true,
    clockTolerance: true,
    notBefore: true,
  },
  [
    ['maxAge', 'idleTimeout'],
    ['ttl', 'idleTimeout'],
    ['expires', 'persistent'],
  ],
);

export const DATA = group<DataOptions<unknown>>({ version: true, migrate: true, schema: true }, [
  ['validate', 'schema'],
  ['validator', 'schema'],
]);

export const HOOKS = group<HooksOptions>({ onRejection: true, onEvent: true });

export const ADVANCED = group<AdvancedOptions>({
  purpose: true,
  compress: true,
  engine: true,
  cacheSize: true,
});

const KEPT_AS_LONG = {
  hint: 'each revocation is kept for the absolute lifetime plus the clock tolerance, the longest a cookie can be accepted',
};

// What revocation and cache libraries call the same settings.
export const REVOCATION = group<RevocationOptions>(
  { store: true, recheckInterval: true, timeout: true, onUnavailable: true },
  [
    ['client', 'store'],
    ['redis', 'store'],
    ['interval', 'recheckInterval'],
    ['cacheTtl', 'recheckInterval'],
    ['refreshInterval', 'recheckInterval'],
    ['failOpen', 'onUnavailable'],
    ['failMode', 'onUnavailable'],
    ['onError', 'onUnavailable'],
    ['ttl', KEPT_AS_LONG],
    ['maxAge', KEPT_AS_LONG],
  ],
);

export const TESTING = group<TestingOptions>({ env: true, now: true });

/** What `session.options()` takes: the store's lifetimes, narrowed per session. */
export const SESSION_LIFETIME = group<SessionLifetimeOptions>(
  { persistent: true, idleTimeout: true, absoluteTimeout: true },
  [
    ['maxAge', 'idleTimeout'],
    ['ttl', 'idleTimeout'],
    ['expires', 'persistent'],
  ],
);

const SAME_AS_TRUSTED = 'trustedOrigins';
const SAME_AS_EXEMPT = 'exempt';
const NO_SECRET = { hint: "the token is keyed by the store's keys and needs no secret of its own" };
const ON_BY_DEFAULT = {
  hint: 'the check is on by default; set crossSite: false to turn it off',
};
const NO_COOKIE = { hint: 'the token is bound to the session and needs no cookie of its own' };
const SESSION_LONG = { hint: 'the token lives as long as the session; regenerate() replaces it' };

// Where other CSRF guards keep the same settings, and the store's familiar names (`secret`),
// which mean something else here: what to write instead.
export const CROSS_SITE = group<CrossSiteOptions>(
  { trustedOrigins: true, exempt: true, token: true },
  [
    ['allowedOrigins', SAME_AS_TRUSTED],
    ['origins', SAME_AS_TRUSTED],
    ['ignore', SAME_AS_EXEMPT],
    ['ignorePaths', SAME_AS_EXEMPT],
    ['ignoreRoutes', SAME_AS_EXEMPT],
    ['excludePaths', SAME_AS_EXEMPT],
    ['bypass', SAME_AS_EXEMPT],
    ['skip', SAME_AS_EXEMPT],
    ['checkOrigin', ON_BY_DEFAULT],
    ['enabled', ON_BY_DEFAULT],
    [
      'ignoreMethods',
      { hint: 'GET, HEAD and OPTIONS always pass and every other method is checked' },
    ],
    ['secret', NO_SECRET],
    ['secrets', NO_SECRET],
    ['password', NO_SECRET],
    ['name', { hint: "the token's form field is _csrf and its header x-csrf-token" }],
    ['cookie', NO_COOKIE],
    ['cookieOptions', NO_COOKIE],
    ['ttl', SESSION_LONG],
    ['maxAge', SESSION_LONG],
  ],
);

/** The top-level names that are groups of options (all but `keys`). */
export type OptionGroupName = Exclude<keyof SessionStoreOptions, 'keys'>;
