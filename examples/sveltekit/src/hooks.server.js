// The session for every request: `event.locals.session` in every endpoint, load function and
// form action, committed when the response is made (so a plain page view also slides the
// idle deadline and re-seals a cookie under a newer key). `sequence` runs the hooks in order:
// the session first, so the ones after it see it.
import { sequence } from '@sveltejs/kit/hooks';
import { sveltekitSession } from 'jwe-session/sveltekit';
import { NAME, store } from './lib/server/session.js';

/** The browser's cookie was refused (expired, tampered, from another key…): to the log. */
function logRejection({ event, resolve }) {
  const { rejection } = event.locals.session;
  // The reason and its detail, never the cookie itself; the visitor gets an empty session.
  if (rejection)
    console.warn(`${NAME}: cookie rejected (${rejection.reason}): ${rejection.detail}`);
  return resolve(event);
}

// Wiring checks the keys: missing ones (outside development) make the server's start fail
// here, before it listens (start.js).
export const handle = sequence(sveltekitSession(store), logRejection);

/** An unexpected error (a route that threw, a too-large session the route did not answer). */
export function handleError({ error, status }) {
  if (status >= 500) console.error(`${NAME}: request failed:`, error);
  return { message: status === 404 ? 'Not found' : 'Internal error.' };
}
