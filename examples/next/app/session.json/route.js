import { getSession } from 'jwe-session/next';
import { store } from '../../lib/session.js';

/** GET /session.json: what the cookie holds, `{}` when there is none or it was rejected. */
export async function GET() {
  const session = await getSession(store);
  return new Response(`${JSON.stringify(session.toJSON(), null, 2)}\n`, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
