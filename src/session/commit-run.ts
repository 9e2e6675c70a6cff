import { seal } from '../codec/seal.js';
import type { Commit } from './commit.js';
import { planCommit } from './commit-plan.js';
import {
  type CookieWriter,
  recordSealed,
  tooLarge,
  undoCommit,
  writeUnsealed,
} from './commit-write.js';
import { lockCommit, type SessionState } from './state.js';
import type { StoreConfig } from './store-config.js';

/**
 * A session's one commit: it locks the session before any seal finishes (so a change made
 * meanwhile throws rather than vanishes); the handle answers every later call with its
 * result. A failure unlocks it and records nothing. The id a destroy() or regenerate() ended
 * is revoked once the cookies are decided (a failed commit revokes nothing), and the commit
 * waits for it, at most the revocation timeout.
 */
export function runCommit(
  config: StoreConfig,
  state: SessionState,
  write: CookieWriter | undefined,
): Commit | Promise<Commit> {
  const revocation = config.revocation;
  const ended = revocation?.endedBy(state);
  const cookies = commitCookies(config, state, write);
  if (revocation === undefined || ended === undefined) return cookies;
  const revoke = (commit: Commit) => revocation.end(ended).then(() => commit);
  const pending = cookies instanceof Promise ? cookies.then(revoke) : revoke(cookies);
  state.commit = pending;
  return pending;
}

function commitCookies(
  config: StoreConfig,
  state: SessionState,
  write: CookieWriter | undefined,
): Commit | Promise<Commit> {
  const ring = config.keys();
  const plan = planCommit(state, config, ring, Math.floor(config.codec.now() / 1000));
  const prior = state.phase;
  if (plan.kind === 'too-large') throw tooLarge(config, state, plan.size, plan.limit);
  if (plan.kind !== 'seal') {
    state.commit = writeUnsealed(config, state, plan, write);
    lockCommit(state, prior);
    return state.commit;
  }
  const sealed = seal(config.codec, ring, plan.next, plan);
  lockCommit(state, prior);
  // A synchronous engine: the commit is done in this tick, with no promise for the adapters
  // to wait on (the Node adapter then holds no response call), and no closure made for it.
  if (typeof sealed === 'string') {
    return recordSealed(config, ring, state, plan, sealed, write, prior);
  }
  const pending = sealed.then(
    (token) => recordSealed(config, ring, state, plan, token, write, prior),
    (error: unknown) => undoCommit(state, prior, plan, error),
  );
  state.commit = pending;
  return pending;
}
