import { sequence } from '@sveltejs/kit/hooks';
import { createSessionStore } from 'jwe-session';
import { sveltekitSession } from 'jwe-session/sveltekit';

// What the test reads back: the errors handleError got, and what later code saw.
globalThis.__sveltekitFixture ??= { handled: [], late: [] };
export const record = globalThis.__sveltekitFixture;

const store = createSessionStore({
  keys: process.env.FIXTURE_SESSION_KEYS,
  cookie: { name: 'session', secure: false },
});

/** Runs after the session hook: it sees the session, and adds to the response it made. */
function second({ event, resolve }) {
  event.locals.seen = [event.locals.session];
  return resolve(event).then((response) => {
    const { seen } = event.locals;
    const same = seen.every((session) => session === event.locals.session);
    response.headers.set('x-seen', `${seen.length}:${same}`);
    return response;
  });
}

export const handle = sequence(sveltekitSession(store), second);

// SvelteKit 2 passes `status`; SvelteKit 3 passes `kind` instead, 'unknown' (a 500) for a throw.
export function handleError({ error, status, kind }) {
  record.handled.push({
    name: error?.name,
    status: status ?? (kind === 'unknown' ? 500 : error?.status),
  });
  return { message: 'Internal error.' };
}
