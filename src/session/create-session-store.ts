import { buildStoreConfig } from '../options/build-store-config.js';
import { parseOptions } from '../options/parse-options.js';
import type { SessionStoreOptions } from '../options/store-options.js';
import type { StandardSchemaV1 } from '../standard-schema.js';
import type { AnySessionData, SessionData } from '../types.js';
import type { SessionStore } from './session-store.js';
import { Store } from './store.js';

type SchemaOutput<S extends StandardSchemaV1> = StandardSchemaV1.InferOutput<S>;

// A schema whose output JSON would not give back (a Date, a Map) makes `data.schema` a compile
// error, as it would for the store's data type.
type JsonSafeSchema<S extends StandardSchemaV1> =
  SchemaOutput<S> extends SessionData<SchemaOutput<S>>
    ? unknown
    : { readonly data: { readonly schema: never } };

/**
 * Creates a session store. Every option is checked here: a bad one throws
 * SessionConfigError naming it, at startup rather than on the first request.
 *
 * ```ts
 * type Data = { userId?: string; cart?: { sku: string; qty: number }[] };
 * const store = createSessionStore<Data>({ cookie: { secure: process.env.NODE_ENV === 'production' } });
 * ```
 *
 * With a Standard Schema (`data.schema`), the session's type is the schema's output type; the
 * flash type, if any, is then the second type argument of the other form:
 * `createSessionStore<z.infer<typeof schema>, Flash>({ data: { schema } })`.
 */
export function createSessionStore<
  S extends StandardSchemaV1<unknown, object>,
  F extends SessionData<F> = AnySessionData,
>(
  options: SessionStoreOptions<SchemaOutput<S>> & {
    readonly data: { readonly schema: S };
  } & JsonSafeSchema<S>,
): SessionStore<SchemaOutput<S>, F>;
export function createSessionStore<
  T extends SessionData<T> = AnySessionData,
  F extends SessionData<F> = AnySessionData,
>(options?: SessionStoreOptions<T>): SessionStore<T, F>;
export function createSessionStore(
  options: SessionStoreOptions<AnySessionData> = {},
): SessionStore<AnySessionData, AnySessionData> {
  return new Store(buildStoreConfig(parseOptions(options)));
}
