import { sealedTimes } from '../codec/claims-check.js';
import type { CodecConfig } from '../codec/codec-config.js';
import { debug } from '../debug.js';
import {
  SessionConfigError,
  SessionRejectedError,
  SessionRevocationError,
  SessionValueError,
} from '../errors.js';
import type { RevocationSettings } from '../options/parse-revocation.js';
import { memoryRevocationStore } from '../revocation/memory-store.js';
import { RevocationCheck } from '../revocation/revocation-check.js';
import { nameOf } from '../revocation/store-answer.js';
import { type Hooks, notifyEvent } from './hooks.js';
import type { Opening } from './open-token.js';
import type { SessionState } from './state.js';

type Operation = 'revokeSession' | 'revokeSubject';

/**
 * A store's revocation, when it is on: the check on load (step 4 of a request), the
 * revocation a commit writes (destroy, regenerate), and the store's own revoke calls.
 * Every write is kept as long as any cookie could still be accepted: the absolute lifetime
 * plus the clock tolerance.
 */
export class Revocations {
  readonly #check: RevocationCheck;
  readonly #codec: CodecConfig;
  readonly #hooks: Hooks;
  readonly #cookieName: string;
  readonly #ttl: number;

  constructor(settings: RevocationSettings, codec: CodecConfig, hooks: Hooks, cookieName: string) {
    this.#codec = codec;
    this.#hooks = hooks;
    this.#cookieName = cookieName;
    this.#ttl = codec.absoluteTimeout + codec.clockTolerance;
    this.#check = new RevocationCheck(settings.store ?? memoryRevocationStore({ now: codec.now }), {
      recheckInterval: settings.recheckInterval,
      timeout: settings.timeout,
      onUnavailable: settings.onUnavailable,
      now: codec.now,
      onEvent: (event) => this.#unavailable('check', event.error, event.suppressed),
    });
  }

  /**
   * An opened token, or why its session may not be used: revoked (the cookie is then deleted
   * like any refused one), or not vouched for by an unavailable store (the cookie is kept).
   * Synchronous when the answer is cached; a token without an id (sealed before ids
   * existed) is not looked up.
   */
  screen(opened: Opening): Opening | Promise<Opening> {
    if (opened instanceof SessionRejectedError) return opened;
    const { sid, sub, ori, orm } = opened.claims;
    if (sid === undefined) return opened;
    let result: ReturnType<RevocationCheck['verdict']>;
    try {
      // A token without `orm` (sealed before it existed) began at the start of its second.
      result = this.#check.verdict(sid, sub, ori * 1000 + (orm ?? 0));
    } catch {
      // Only an id or subject no store takes (a lone surrogate): never sealed by this library.
      return new SessionRejectedError('malformed', 'session id or subject is not well-formed text');
    }
    const judge = ({ verdict, accept }: { verdict: string; accept: boolean }): Opening => {
      if (accept) return opened;
      const sealed = sealedTimes(this.#codec, opened.claims, opened.keyId);
      if (verdict === 'revoked') {
        const detail = this.#check.knowsRevoked(sid)
          ? 'the session was ended (logged out)'
          : "the subject's sessions were ended (logged out everywhere)";
        return new SessionRejectedError('revoked', detail, sealed);
      }
      return new SessionRejectedError(
        'revocation-unavailable',
        'the revocation store did not answer in time, and revocation.onUnavailable is refuse',
        sealed,
      );
    };
    return result instanceof Promise ? result.then(judge) : judge(result);
  }

  /**
   * The id a commit revokes: the loaded cookie's, when destroy() or regenerate() ended it.
   * Read before the commit, which replaces the state's claims with the new token's.
   */
  endedBy(state: SessionState): string | undefined {
    if (state.phase !== 'destroyed' && !state.regenerated) return undefined;
    return state.claims?.sid;
  }

  /**
   * Revokes an id a commit ended. Never rejects: within `timeout` it is written or reported
   * (onEvent, NODE_DEBUG), and the commit's cookies go out either way, so this browser is
   * signed out even when a copy of its cookie may not be.
   */
  end(sid: string): Promise<void> {
    return this.revokeSession(sid).catch(() => undefined);
  }

  revokeSession(sessionId: string): Promise<void> {
    return this.#write('revokeSession', () => this.#check.revokeSession(sessionId, this.#ttl));
  }

  /**
   * Ends every session of `subject` created before this moment, to the millisecond: a browser
   * signed in earlier in the same second is signed out, a sign-in right after stays valid.
   */
  revokeSubject(subject: string): Promise<void> {
    const before = Math.floor(this.#codec.now());
    return this.#write('revokeSubject', () =>
      this.#check.revokeSubject(subject, before, this.#ttl),
    );
  }

  async #write(operation: Operation, write: () => Promise<void>): Promise<void> {
    const scope = operation === 'revokeSession' ? 'session' : 'subject';
    try {
      await write();
    } catch (error) {
      // A bad id or subject is the caller's to fix: it is thrown as it is.
      if (error instanceof SessionValueError) throw error;
      this.#unavailable(operation, nameOf(error), 0);
      throw new SessionRevocationError(operation, error);
    }
    debug(`cookie "${this.#cookieName}": ${scope} revoked`);
    notifyEvent(this.#hooks, { type: 'revoked', cookieName: this.#cookieName, scope });
  }

  #unavailable(operation: 'check' | Operation, error: string, suppressed: number): void {
    debug(`cookie "${this.#cookieName}": revocation store unavailable (${operation}): ${error}`);
    notifyEvent(this.#hooks, {
      type: 'revocation-unavailable',
      cookieName: this.#cookieName,
      operation,
      error,
      suppressed,
    });
  }
}

/** The store's revocation for `store.revokeSession()`/`revokeSubject()`, or why there is none. */
export function revocationOn(revocation: Revocations | undefined, operation: string): Revocations {
  if (revocation === undefined) {
    throw new SessionConfigError(
      'revocation',
      `is off, so ${operation}() has nowhere to write: set the revocation option ({} keeps revocations in this process's memory)`,
    );
  }
  return revocation;
}
