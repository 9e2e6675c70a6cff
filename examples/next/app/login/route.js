import { readUser, remember, signIn } from '../../../demo/calculator.js';
import { readPost } from '../../lib/form.js';
import { errorResponse, seeOther } from '../../lib/html.js';

/** POST /login: sign in as `user` (new session id, data kept), 303 to /. Bad name: 400, unchanged. */
export async function POST(request) {
  const { session, form, response } = await readPost(request);
  if (response) return response;
  const { problem, user } = readUser(form);
  // A bad name: 400, and the session is left alone (nothing saved, so no Set-Cookie).
  if (problem) return errorResponse(400, 'Bad input', problem, session);
  signIn(session, user);
  remember(session, form);
  await session.save();
  return seeOther('/');
}
