import { redirect } from '@sveltejs/kit';
import { readUser, remember, signIn } from '../../../../demo/calculator.js';
import { problemPage, readForm } from '../../lib/server/pages.js';

/** POST /login: sign in as `user` (new session id, data kept), 303 to /. Bad name: 400, unchanged. */
export async function POST(event) {
  const { form, response } = await readForm(event);
  if (response) return response;
  const { problem, user } = readUser(form);
  // A bad name: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(event.locals, 400, { title: 'Bad input', message: problem });
  // A new session id (the old one is ended), the data kept, the user as its subject.
  signIn(event.locals.session, user);
  remember(event.locals.session, form);
  redirect(303, '/');
}
