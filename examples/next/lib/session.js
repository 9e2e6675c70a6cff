// The one session store of the app. Created when the module is first imported, which
// `next build` also does: with keys resolved on first use, a build needs no SESSION_KEYS,
// and instrumentation.js stops a server without them as it starts, saying how to make a key.
import { createSessionStore } from 'jwe-session';
import { revocationFromEnv } from '../../demo/revocation.js';

async function createStore() {
  // In memory, or in the Redis named by REDIS_URL (../../demo/revocation.js).
  const { revocation } = await revocationFromEnv('jwe-session Next.js example');
  return createSessionStore({
    // Secure is off only because this example runs over plain HTTP on localhost: browsers
    // keep a Secure cookie only from HTTPS. Keep the default, secure: true, in a real app.
    cookie: { name: 'session', secure: false },
    // On: destroy() and sign-in end the old session id for good, and revokeSubject() ends
    // every session of a user.
    revocation,
  });
}

// Next.js may load this module once per bundle (pages, Route Handlers, Server Actions, the
// proxy), all in one server process: they share one store through globalThis, so a logout in
// a Route Handler is known at once to the page that renders next (the in-memory revocations,
// and the Redis client, are the store's).
const SHARED = Symbol.for('jwe-session Next.js example store');
globalThis[SHARED] ??= createStore();
export const store = await globalThis[SHARED];
