// The session store, the context loaders and actions read it from, and the middleware that
// fills it: the only jwe-session wiring of this app.

import { createSessionStore } from 'jwe-session';
import { reactRouterSession } from 'jwe-session/react-router';
import { createContext } from 'react-router';
import { revocationFromEnv } from '../../demo/revocation.js';

export const NAME = 'jwe-session React Router example';

// In memory, or in Redis with REDIS_URL (../../demo/revocation.js); a bad REDIS_URL is a
// SessionConfigError, which start.js reports before the server listens.
const { revocation, close } = await revocationFromEnv(NAME);
export const closeRevocation = close;

export const store = createSessionStore({
  // Secure is off only because this example runs over plain HTTP on localhost; keep the
  // default, secure: true, in a real app.
  cookie: { name: 'session', secure: false },
  // On: destroy() and sign-in end the old session id for good, and revokeSubject() ends
  // every session of a user.
  revocation,
});

/** `context.get(sessionContext)` in a loader or action: this request's session. */
export const sessionContext = createContext();

// Checks the keys now, as the server module loads: without SESSION_KEYS outside development
// this throws SessionConfigError, and start.js exits before it listens. The build never
// runs this module, so it needs no keys.
export const sessionMiddleware = reactRouterSession(store, sessionContext);
