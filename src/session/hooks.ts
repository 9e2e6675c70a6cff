import { debug } from '../debug.js';
import type { CrossSiteReason, KeySize, SessionRejectedError } from '../errors.js';
import { describeThrown } from '../util/describe-thrown.js';

/** Where a rejection happened: the store's cookie name. Never the token or its contents. */
export interface RejectionContext {
  readonly cookieName: string;
}

/**
 * What the store did that logs and metrics may want, besides rejections. A closed union on
 * `type`: switch on it. Like rejections, no event ever holds a token or session data.
 */
export type SessionEvent =
  | {
      /** A cookie sealed with an older key was sealed again with the ring's first key. */
      readonly type: 'reseal';
      readonly cookieName: string;
      readonly fromKeyId: string;
      readonly toKeyId: string;
    }
  | {
      /** A commit was refused for size; nothing was written (SessionTooLargeError thrown). */
      readonly type: 'too-large';
      readonly cookieName: string;
      readonly size: number;
      readonly limit: number;
      readonly largestKeys: readonly KeySize[];
    }
  | {
      /** An older cookie's data was migrated to the store's `version` on read. */
      readonly type: 'migrated';
      readonly cookieName: string;
      readonly fromVersion: number;
      readonly toVersion: number;
    }
  | {
      /**
       * A revocation was written: a session's id (destroy(), regenerate(),
       * `store.revokeSession()`) or a subject's sessions (`store.revokeSubject()`).
       */
      readonly type: 'revoked';
      readonly cookieName: string;
      readonly scope: 'session' | 'subject';
    }
  | {
      /**
       * The revocation store failed or did not answer within `revocation.timeout`: on a
       * check (reported at most once per recheck interval, at least a second; `suppressed`
       * counts the checks not reported since), or on a write.
       */
      readonly type: 'revocation-unavailable';
      readonly cookieName: string;
      readonly operation: 'check' | 'revokeSession' | 'revokeSubject';
      /** `'timeout'`, or the error's code or class name; never its message. */
      readonly error: string;
      readonly suppressed: number;
    }
  | {
      /**
       * A request that changes state was refused as a possible cross-site request forgery
       * (answered 403; the handler did not run). Only the reason, the method and the path
       * (without its query): no header value.
       */
      readonly type: 'cross-site-refused';
      readonly reason: CrossSiteReason;
      readonly method: string;
      readonly path: string;
    };

export type RejectionHook = (rejection: SessionRejectedError, context: RejectionContext) => unknown;
export type EventHook = (event: SessionEvent) => unknown;

/** The store's observers, checked once at startup and called so that they can never fail a request. */
export interface Hooks {
  readonly rejection: RejectionHook | undefined;
  readonly event: EventHook | undefined;
}

// A logging or metrics hook that throws (or rejects) must not turn a refused cookie into a
// failed request: the user would lose the page, not just the session. It is traced instead.
function guard(name: string, call: () => unknown): void {
  try {
    const result = call();
    if (result instanceof Promise) result.then(undefined, (error: unknown) => failed(name, error));
  } catch (error) {
    failed(name, error);
  }
}

function failed(name: string, error: unknown): void {
  debug(`${name} hook failed: ${describeThrown(error)}`);
}

export function notifyRejection(
  hooks: Hooks,
  rejection: SessionRejectedError,
  context: RejectionContext,
): void {
  const hook = hooks.rejection;
  if (hook) guard('onRejection', () => hook(rejection, context));
}

export function notifyEvent(hooks: Hooks, event: SessionEvent): void {
  const hook = hooks.event;
  if (hook) guard('onEvent', () => hook(event));
}
