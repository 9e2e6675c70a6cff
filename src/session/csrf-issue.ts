import { type CsrfKey, csrfToken } from '../cross-site/csrf-token.js';
import { SessionCommittedError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import { lockReason, type SessionState, sessionIdFor } from './state.js';

/**
 * A session's CSRF token (`session.csrfToken()`): bound to its id, which is made here if it
 * has none yet (a new visitor's, before its first seal). The session is then saved, even empty, so the id reaches the browser; that is
 * decided before the first await, so a commit started right after the call includes it.
 */
export async function issueCsrfToken(ring: () => KeyRing, state: SessionState): Promise<string> {
  if (state.sid === undefined) {
    const reason = lockReason(state);
    if (reason !== undefined) throw new SessionCommittedError(reason);
  }
  const id = sessionIdFor(state);
  const [key] = await ring().csrfKeys();
  return csrfToken(key as CsrfKey, id);
}
