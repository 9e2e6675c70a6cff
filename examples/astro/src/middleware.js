// The session for every request as `context.locals.session`, committed after the route has
// answered. sequence(): the app's own middleware goes after astroSession, so it sees the session.
import { sequence } from 'astro:middleware';
import { astroSession } from 'jwe-session/astro';
import { NAME, refuseToStart, store } from './lib/session.js';

function sessionMiddleware() {
  try {
    // Wiring checks the keys: missing ones (outside development) stop the server here, as
    // start.mjs loads this module before it listens.
    return astroSession(store);
  } catch (error) {
    return refuseToStart(error);
  }
}

async function logRejection(context, next) {
  const { rejection } = context.locals.session;
  if (rejection) {
    // The browser's cookie was refused (expired, tampered, from another key…): the reason and
    // its detail go to the log, never the cookie itself; the visitor gets an empty session.
    console.warn(`${NAME}: cookie rejected (${rejection.reason}): ${rejection.detail}`);
  }
  return next();
}

export const onRequest = sequence(sessionMiddleware(), logRejection);
