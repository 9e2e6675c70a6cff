// The one session store of the app, created when the server bundle loads src/middleware.js.
import { createSessionStore, errors } from 'jwe-session';
import { revocationFromEnv } from '../../../demo/revocation.js';

export const NAME = 'jwe-session astro example';

/** A bad or missing SESSION_KEYS or REDIS_URL: its message (never the secret) on stderr, no server. */
export function refuseToStart(error) {
  if (!(error instanceof errors.SessionConfigError)) throw error;
  console.error(`${NAME}: ${error.message}`);
  process.exit(1);
}

const { revocation } = await revocationFromEnv(NAME).catch(refuseToStart);

export let store;
try {
  store = createSessionStore({
    // Secure is off only because this example runs over plain HTTP on localhost; keep the
    // default, secure: true, in a real app.
    cookie: { name: 'session', secure: false },
    // On: destroy() and sign-in end the old session id for good, and revokeSubject() ends
    // every session of a user (../demo/revocation.js: in memory, or in Redis with REDIS_URL).
    revocation,
  });
} catch (error) {
  // A bad SESSION_KEYS entry: the message names the entry and never shows the secret.
  refuseToStart(error);
}
