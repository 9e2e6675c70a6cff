import type { Session, SessionState } from '../session/session.js';
import { stateOf } from '../session/session.js';
import type { SessionStore } from '../session/store.js';

export interface CommitTracker {
  /**
   * Commits the session unless it is unchanged since the last successful commit. Commits run
   * one at a time. Rejects with the store's error (SessionTooLargeError, SessionValueError).
   */
  commit(): Promise<void>;
  /** The Set-Cookie values of the last successful commit: the ones this response sends. */
  cookies(): readonly string[];
}

// What decides whether another commit is needed: the data and everything else commit() reads.
// A value JSON cannot carry gives undefined, so the commit runs and reports it.
function fingerprint(state: SessionState): string | undefined {
  try {
    return JSON.stringify([state.data, state.outgoingFlash, state.destroyed, state.regenerated]);
  } catch {
    return undefined;
  }
}

/**
 * Tracks the commits of one response. `store.commit()` answers "nothing changed" with no
 * values, which after an early `save()` means "keep what that save produced", not "send
 * nothing"; so an unchanged session is not committed again, and a changed one is, its values
 * replacing the earlier ones (a response sends one final set of cookies).
 */
export function commitTracker<T>(store: SessionStore<T>, session: Session<T>): CommitTracker {
  const state = stateOf(session);
  let cookies: readonly string[] = [];
  let committed: string | undefined;
  let chain: Promise<void> = Promise.resolve();

  const run = async (): Promise<void> => {
    const print = fingerprint(state);
    if (committed !== undefined && print === committed) return;
    cookies = await store.commit(session);
    committed = print;
  };

  return {
    commit() {
      const next = chain.then(run);
      chain = next.catch(() => {});
      return next;
    },
    cookies: () => cookies,
  };
}
