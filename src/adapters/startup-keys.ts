import { portOf } from '../session/port.js';
import type { SessionStore } from '../session/session-store.js';

/**
 * Resolves the store's keys now and throws the SessionConfigError that says how to make one
 * if they are missing (outside development) or malformed. The store itself resolves them at
 * first use, so that a build step which imports the app without secrets (`next build`) works;
 * the adapters call this when the app is wired, so a server without keys refuses to start
 * instead of passing its health check and answering 500 to every request.
 */
export function checkSessionKeys<T, F>(store: SessionStore<T, F>): void {
  // A wrong object is a TypeError of its own before anything is resolved.
  portOf(store);
  // The getter throws when the keys are missing; the ring itself is not needed here.
  store.keyRing.primaryId;
}
