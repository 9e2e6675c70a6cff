// Next.js calls register() once when the server starts (never during `next build`): a server
// without SESSION_KEYS (outside development) then exits with the message that says how to make
// a key, instead of passing its health check and answering 500 to every request.
import { requireSessionKeys } from 'jwe-session/next';
import { store } from './lib/session.js';

export const register = () => requireSessionKeys(store);
