import {
  createSessionStore,
  type Session,
  type SessionStore,
  type SessionStoreOptions,
} from '../../src/index.js';
import type { AnySessionData, SessionData } from '../../src/types.js';
import { cookieHeaderFrom, type Jar } from './browser-jar.js';
import { Clock } from './clock.js';
import { keyEntry } from './keys.js';

export const TEST_KEYS = keyEntry('k1');

/**
 * A store on fixed test keys and a hand-moved clock, ignoring the real environment. The
 * groups the defaults fill (`cookie`, `testing`) are merged with what the test gives.
 */
export function makeStore<
  T extends SessionData<T> = AnySessionData,
  F extends SessionData<F> = AnySessionData,
>(options: SessionStoreOptions<T> = {}, clock: Clock = new Clock()): SessionStore<T, F> {
  return createSessionStore<T, F>({
    keys: TEST_KEYS,
    ...options,
    cookie: { secure: true, ...options.cookie },
    testing: { env: {}, now: clock.now, ...options.testing },
  });
}

export interface Visit<T, F = AnySessionData> {
  readonly session: Session<T, F>;
  readonly setCookies: string[];
  /** The Cookie header the browser sends after this response. */
  readonly header: string;
}

/**
 * One request/response through a browser jar: load from what the jar holds, let `act` touch
 * the session, commit, and apply the Set-Cookie lines to the jar.
 */
export async function visit<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  jar: Jar,
  act: (session: Session<T, F>) => unknown = () => {},
): Promise<Visit<T, F>> {
  const session = await store.load(cookieHeaderFrom([], jar));
  await act(session);
  const setCookies = await store.commit(session);
  const header = cookieHeaderFrom(setCookies, jar);
  return { session, setCookies, header };
}

/** Runs `fn` and returns what it threw; fails the test if it did not throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but nothing was thrown');
}

/** As `thrown`, for async functions. */
export async function rejected(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
