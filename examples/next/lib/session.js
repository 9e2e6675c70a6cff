// The one session store of the app. Created when the module is first imported, which
// `next build` also does: with keys resolved on first use, a build needs no SESSION_KEYS,
// and instrumentation.js stops a server without them as it starts, saying how to make a key.
import { createSessionStore } from 'jwe-session';
import { revocationFromEnv } from '../../demo/revocation.js';
import { memoryRevocations } from './memory-revocations.js';

const NAME = 'jwe-session Next.js example';

/** Where revocations live: the Redis named by REDIS_URL, or this process's memory. */
async function revocations() {
  // No wait for Redis's first connection: Next.js loads this module at a bundle's first
  // request, which must not wait for it (the contract's 2 s bound with Redis away).
  const { revocation } = await revocationFromEnv(NAME, { connectWait: 0 });
  if (revocation.store) return revocation;
  // In memory a look-up is a Map read: every request asks (recheckInterval 0), so a logout in
  // one bundle is refused at once by the others.
  return { ...revocation, store: memoryRevocations(), recheckInterval: 0 };
}

// Next.js may load this module once per bundle, all in one server process: they share one
// revocation store (and one Redis client) through globalThis. Each bundle keeps its own store
// object, as each has its own copy of the library; the keys are the same (SESSION_KEYS).
const SHARED = Symbol.for('jwe-session Next.js example revocations');
globalThis[SHARED] ??= revocations();

export const store = createSessionStore({
  // Secure is off only because this example runs over plain HTTP on localhost: browsers keep
  // a Secure cookie only from HTTPS. Keep the default, secure: true, in a real app.
  cookie: { name: 'session', secure: false },
  // On: destroy() and sign-in end the old session id for good, and revokeSubject() ends every
  // session of a user. With Redis a bundle trusts an answer for up to 1 s, so a revocation
  // made in another bundle is seen within it, as one made on another process is.
  revocation: await globalThis[SHARED],
});
