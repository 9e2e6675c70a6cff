import type { ReadChunks } from '../cookie/chunking.js';
import { debug } from '../debug.js';
import { SessionRejectedError } from '../errors.js';
import { isOfNewerDeploy, type Shaped } from './data-shape.js';
import { notifyEvent, notifyRejection } from './hooks.js';
import { chosenLifetime } from './lifetime.js';
import type { Opening } from './open-token.js';
import { newState, type SessionState } from './state.js';
import type { StoreConfig } from './store-config.js';

/**
 * A request's session state from what its cookie held: the opened token's data, or, for a
 * refused one, an empty session (the refusal logged and reported to `onRejection`).
 */
export function loadedState(
  config: StoreConfig,
  read: ReadChunks,
  opened: Opening | undefined,
): SessionState {
  const state = newState(read.present, config.lifetime);
  if (opened === undefined) return state;
  const name = config.cookie.name;
  if (opened instanceof SessionRejectedError) {
    const sealed = opened.sealed;
    const times = sealed
      ? ` (key "${sealed.keyId}", created ${sealed.createdAt.toISOString()}, expires ${sealed.expiresAt.toISOString()})`
      : '';
    debug(`cookie "${name}" rejected: ${opened.reason}: ${opened.detail}${times}`);
    notifyRejection(config.hooks, opened, { cookieName: name });
    state.keepsCookie = isOfNewerDeploy(opened) || opened.reason === 'revocation-unavailable';
    return state;
  }
  state.data = opened.data;
  state.baseline = opened.dataJson;
  state.claims = opened.claims;
  state.keyId = opened.keyId;
  state.lifetime = chosenLifetime(opened.claims);
  state.sid = opened.claims.sid;
  state.subject = opened.claims.sub;
  state.incomingFlash = opened.flash;
  // session.cookie, made when it is read (cookieOf).
  state.cookieRead = read;
  state.cookieLimit = config.budget.totalBytes;
  if ('reshaped' in opened) reshaped(config, state, opened);
  return state;
}

/** Data migrated or reshaped on read is written back, in its new shape, by this response. */
function reshaped(config: StoreConfig, state: SessionState, shaped: Shaped): void {
  if (shaped.reshaped) {
    state.baseline = undefined;
    // A fresh copy of what migrate or the schema made (see data-shape.ts), checked there:
    // not exposed, like a value set() stored.
    state.touched = true;
  }
  const from = shaped.migratedFrom;
  const to = config.shape?.version ?? 0;
  if (from !== undefined) {
    debug(`cookie "${config.cookie.name}" data migrated: version ${from} -> ${to}`);
    notifyEvent(config.hooks, {
      type: 'migrated',
      cookieName: config.cookie.name,
      fromVersion: from,
      toVersion: to,
    });
  }
}
