// jwe-session on `engine: 'node'`: the same public store and tokens as "jwe-session", sealed
// and opened with synchronous node:crypto AES-256-GCM instead of jose on Web Crypto.
import { randomBytes } from 'node:crypto';
import { createSessionStore, errors } from '../../../dist/index.js';

export const NODE_ENGINE_NAME = "jwe-session, engine: 'node'";

export async function jweSessionNode() {
  const store = createSessionStore({
    keys: `bench:${randomBytes(32).toString('base64url')}`,
    advanced: { cacheSize: 0, engine: 'node' },
    testing: { env: {} },
  });
  return {
    name: NODE_ENGINE_NAME,
    seal: (data) => store.seal(data),
    unseal: (token) => store.unseal(token),
    payloadOf: (opened) => (opened instanceof errors.SessionRejectedError ? undefined : opened),
  };
}
