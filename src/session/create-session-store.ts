import type { StandardSchemaV1 } from '../standard-schema.js';
import type { AnySessionData, SessionData } from '../types.js';
import { type DataShapeOptions, resolveDataShape } from './data-shape.js';
import type { SessionStore } from './session-store.js';
import { Store } from './store.js';
import type { StoreConfig } from './store-config.js';
import { resolveOptions, type SessionStoreOptions } from './store-options.js';

type AllOptions = SessionStoreOptions & DataShapeOptions<AnySessionData>;

// Stand-ins for the one options parse (src/options/, in progress): today's checks, regrouped
// into the runtime config the store runs on.
function parseOptions(options: AllOptions): AllOptions {
  return options;
}

function buildStoreConfig(options: AllOptions): StoreConfig {
  const resolved = resolveOptions(options);
  const { codec, cookie } = resolved;
  return {
    codec,
    cookie,
    budget: resolved.budget,
    lifetime: {
      persistent: cookie.persistent,
      idleTimeout: codec.idleTimeout,
      absoluteTimeout: codec.absoluteTimeout,
    },
    refreshAfter: resolved.refreshAfter,
    hooks: resolved.hooks,
    shape: resolveDataShape(options),
    keys: resolved.keys,
  };
}

type SchemaOutput<S extends StandardSchemaV1> = StandardSchemaV1.InferOutput<S>;

// A schema whose output JSON would not give back (a Date, a Map) makes `schema` a compile
// error, as it would for the store's data type.
type JsonSafeSchema<S extends StandardSchemaV1> =
  SchemaOutput<S> extends SessionData<SchemaOutput<S>> ? unknown : { readonly schema: never };

/**
 * Creates a session store. Every option is checked here: a bad one throws
 * SessionConfigError naming it, at startup rather than on the first request.
 *
 * ```ts
 * type Data = { userId?: string; cart?: { sku: string; qty: number }[] };
 * const store = createSessionStore<Data>({ cookie: { secure: process.env.NODE_ENV === 'production' } });
 * ```
 *
 * With a Standard Schema (`schema`), the session's type is the schema's output type; the
 * flash type, if any, is then the second type argument of the other form:
 * `createSessionStore<z.infer<typeof schema>, Flash>({ schema })`.
 */
export function createSessionStore<
  S extends StandardSchemaV1<unknown, object>,
  F extends SessionData<F> = AnySessionData,
>(
  options: SessionStoreOptions &
    DataShapeOptions<SchemaOutput<S>> & { readonly schema: S } & JsonSafeSchema<S>,
): SessionStore<SchemaOutput<S>, F>;
export function createSessionStore<
  T extends SessionData<T> = AnySessionData,
  F extends SessionData<F> = AnySessionData,
>(options?: SessionStoreOptions & DataShapeOptions<T>): SessionStore<T, F>;
export function createSessionStore(
  options: AllOptions = {},
): SessionStore<AnySessionData, AnySessionData> {
  return new Store(buildStoreConfig(parseOptions(options)));
}
