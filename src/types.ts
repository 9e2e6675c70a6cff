/** A value JSON carries unchanged. */
export type JsonPrimitive = string | number | boolean | null;
/** A value JSON gives back as it was: what a session may hold. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue | undefined };

// Types that JSON.stringify accepts but gives back as something else (a Date comes back a
// string, a Map an empty object), or refuses outright.
type Unfaithful =
  | Date
  | RegExp
  | Map<unknown, unknown>
  | Set<unknown>
  | WeakMap<object, unknown>
  | WeakSet<object>
  | Promise<unknown>
  | ArrayBufferLike
  | ArrayBufferView
  | bigint
  | symbol
  | ((...args: never[]) => unknown);

/**
 * `V` itself where JSON gives it back unchanged, and `never` where it would not, so a session
 * type with a Date or a Map in it fails to compile instead of lying at run time.
 */
export type JsonSafe<V> = [V] extends [JsonValue | undefined]
  ? V
  : V extends JsonPrimitive | undefined
    ? V
    : V extends Unfaithful
      ? never
      : V extends readonly unknown[]
        ? { [I in keyof V]: JsonSafe<V[I]> }
        : V extends object
          ? { [K in keyof V]: JsonSafe<V[K]> }
          : never;

/**
 * The constraint on a store's session type: an object whose every member JSON carries
 * faithfully. Use it as `createSessionStore<MyData>()`; a Date field is a compile error.
 */
export type SessionData<T> = { [K in keyof T]: JsonSafe<T[K]> };

/** The session type when none is given. */
export type AnySessionData = Record<string, JsonValue | undefined>;

/** What the browser holds for this session, for display and diagnostics. */
export interface CookieInfo {
  /** Bytes the session's cookies add to each request's Cookie header. */
  readonly bytes: number;
  readonly chunks: number;
  /** The configured limit for `bytes`. */
  readonly limit: number;
  /** The id of the key that sealed it. */
  readonly keyId: string;
  /** When the server will stop accepting it, unless it is refreshed first. */
  readonly expiresAt: Date;
}
