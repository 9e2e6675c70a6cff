// jwe-session as an app uses it: the public store with default settings (claims, kid and
// purpose all included), the token cache off so every unseal decrypts.
import { randomBytes } from 'node:crypto';
import { createSessionStore, errors } from '../../../dist/index.js';

export async function jweSession() {
  const store = createSessionStore({
    keys: `bench:${randomBytes(32).toString('base64url')}`,
    advanced: { cacheSize: 0 },
    testing: { env: {} },
  });
  return {
    name: 'jwe-session',
    ours: true,
    engine: store.engine,
    seal: (data) => store.seal(data),
    unseal: (token) => store.unseal(token),
    payloadOf: (opened) => (opened instanceof errors.SessionRejectedError ? undefined : opened),
  };
}
