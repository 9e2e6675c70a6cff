import type { Session, SessionState } from '../session/session.js';
import { stateOf } from '../session/session.js';
import { type SessionStore, Store } from '../session/store.js';

export interface CommitTracker {
  /**
   * Commits the session unless it is unchanged since the last successful commit. Commits run
   * one at a time. Rejects with the store's error (SessionTooLargeError, SessionValueError).
   */
  commit(): Promise<void>;
  /**
   * The final commit: `true` when it completed at once (no sealing needed; `cookies()` is
   * final), else the promise of the commit it started, as `commit()` would return. Throws
   * what the store throws before sealing.
   */
  commitNow(): true | Promise<void>;
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
  let running = 0;

  const run = async (): Promise<void> => {
    const print = fingerprint(state);
    if (committed !== undefined && print === committed) return;
    cookies = await store.commit(session);
    committed = print;
  };

  return {
    commit() {
      running++;
      const next = chain.then(run).finally(() => running--);
      chain = next.catch(() => {});
      return next;
    },
    commitNow() {
      if (running > 0 || !(store instanceof Store)) return this.commit();
      // Only a session saved early has a fingerprint to compare with; the final commit of one
      // never saved needs none, as nothing can change after it (the session is locked).
      if (committed !== undefined && fingerprint(state) === committed) return true;
      const result = store.commitNow(session);
      if (Array.isArray(result)) {
        cookies = result;
        return true;
      }
      // The seal is under way (planned once, not again): track it as commit() would.
      running++;
      const next = result.then((lines) => {
        cookies = lines;
      });
      const settled = next.finally(() => running--);
      chain = settled.catch(() => {});
      return settled;
    },
    cookies: () => cookies,
  };
}
