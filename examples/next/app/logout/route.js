import { getSession } from 'jwe-session/next';
import { seeOther } from '../../lib/html.js';
import { store } from '../../lib/session.js';

/** POST /logout: destroy the session; the response deletes every chunk the browser holds. */
export async function POST() {
  const session = await getSession(store);
  session.destroy();
  await session.save();
  return seeOther('/');
}
