// The session-cookie path as a test oracle. `store.seal()`/`unseal()` carry a purpose of
// their own (a sealed value is no session cookie), so a test about session tokens (forged,
// mutated, expired, from another store) seals and opens them the way a browser's cookie
// goes: through commit and load.

import { SessionRejectedError } from '../../src/errors.js';
import type { Session, SessionStore } from '../../src/index.js';

/** Opens `token` as this store's session cookie: its data, or why it was rejected. */
export async function openAsCookie<T>(
  store: SessionStore<T>,
  token: string,
): Promise<Partial<T> | SessionRejectedError> {
  // A ";" would end the cookie value early, and the oracle would answer for a shorter token.
  if (token.includes(';'))
    return new SessionRejectedError('malformed', 'no cookie value holds ";"');
  const session = await store.load(`${store.cookieName}=${token}`);
  if (session.rejection) return session.rejection;
  if (session.isNew) return new SessionRejectedError('malformed', 'no session cookie was read');
  return session.toJSON();
}

/** A session cookie's token (chunks joined) for a new session holding `data`. */
export async function sealAsCookie<T>(store: SessionStore<T>, data: Partial<T>): Promise<string> {
  const session = (await store.load(undefined)) as Session<Record<string, unknown>>;
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const lines = await store.commit(session as unknown as Session<T>);
  const values = lines
    .filter((line) => !/;\s*Max-Age=0(;|$)/i.test(line))
    .map((line) => line.slice(line.indexOf('=') + 1, line.indexOf(';')));
  if (values.length === 0) throw new Error('sealAsCookie: nothing was sealed (empty data?)');
  return values.length === 1 ? (values[0] as string) : values.join('').replace(/^\d+~/, '');
}
