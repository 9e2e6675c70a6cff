import { redirect } from 'react-router';
import { readUser, remember, signIn } from '../../../demo/calculator.js';
import { elsewhere, post, problemPage, readForm, sessionOf, tooLarge } from '../demo.server.js';

export const loader = elsewhere;

export const action = post(async ({ request, context }) => {
  const form = await readForm(request);
  if (!form) return tooLarge(context);
  const { problem, user } = readUser(form);
  // A bad name: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(context, 400, { title: 'Bad input', message: problem });
  // A new session id (the old one is ended), the data kept, the user as its subject.
  signIn(sessionOf(context), user);
  remember(sessionOf(context), form);
  return redirect('/', 303);
});
