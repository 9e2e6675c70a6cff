// The one session store of the app, shared by the hook and every route (server code only:
// src/lib/server is never sent to the browser). Keys are resolved at first use, so `vite build`,
// which imports the routes to analyse them, needs no SESSION_KEYS; the hook checks them when
// the server loads it (../../hooks.server.js).
import { createSessionStore } from 'jwe-session';
import { revocationFromEnv } from '../../../../demo/revocation.js';

export const NAME = 'jwe-session sveltekit example';

const { revocation } = await revocationFromEnv(NAME);

export const store = createSessionStore({
  // Secure is off only because this example runs over plain HTTP on localhost; keep the
  // default, secure: true, in a real app.
  cookie: { name: 'session', secure: false },
  // On: destroy() and sign-in end the old session id for good, and revokeSubject() ends
  // every session of a user (../demo/revocation.js: in memory, or in Redis with REDIS_URL).
  revocation,
});
