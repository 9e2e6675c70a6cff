import { getSession } from 'jwe-session/next';
import { EVERYWHERE_FAILED } from '../../../demo/calculator.js';
import { errorResponse, seeOther } from '../../lib/html.js';
import { store } from '../../lib/session.js';

/**
 * POST /logout-everywhere: end every session of the signed-in user, on every browser and
 * process, then this one. Not signed in: nothing to end.
 */
export async function POST() {
  const session = await getSession(store);
  const subject = session.subject;
  if (subject === undefined) return seeOther('/');
  try {
    await store.revokeSubject(subject);
  } catch (error) {
    // The revocation store did not take it (Redis away): say so, and change nothing.
    console.warn(`jwe-session Next.js example: sign out everywhere failed: ${error.name}`);
    const { status, title, message } = EVERYWHERE_FAILED;
    return errorResponse(status, title, message, session);
  }
  session.destroy();
  await session.save();
  return seeOther('/');
}
