import { encodeId } from '../revocation/revocation-input.js';
import type { Commit } from './commit.js';
import { NO_CHOICE } from './lifetime.js';
import { newSessionId } from './new-claims.js';
import type { SessionState } from './state.js';

/** What `session.regenerate()` takes. */
export interface RegenerateOptions {
  /** Keep the session's data (default: start empty). */
  readonly keepData?: boolean;
  /** Who is signed in from now on (a user id): kept across commits until `destroy()`. */
  readonly subject?: string;
}

/** What a session commits through: its request's handle (see request-handle.ts). */
export interface SessionHandle {
  commit(): Commit | Promise<Commit>;
  csrfToken(): Promise<string>;
}

/** `session.destroy()` on an open session: no id, no subject, no data; the commit clears it. */
export function destroyState(state: SessionState): void {
  state.phase = 'destroyed';
  state.sid = undefined;
  state.subject = undefined;
  state.lifetime = NO_CHOICE;
  state.data = Object.create(null);
  state.exposed = undefined;
  state.outgoingFlash = undefined;
  state.idHandedOut = false;
}

/** Throws SessionValueError for a subject no revocation store could key. */
export function checkSubject(subject: string | undefined): void {
  if (subject !== undefined) encodeId('subject', subject);
}

/** `session.regenerate()` on an open (or destroyed) session: a new id, and a new start. */
export function regenerateState(state: SessionState, options: RegenerateOptions): void {
  state.sid = newSessionId();
  if (options.subject !== undefined) state.subject = options.subject;
  if (!options.keepData || state.phase === 'destroyed') {
    state.data = Object.create(null);
    state.exposed = undefined;
  }
  state.touched = true;
  state.outgoingFlash = undefined;
  state.phase = 'open';
  state.regenerated = true;
  // A token handed out before now belongs to the session that ended here (its old id).
  state.idHandedOut = false;
}
