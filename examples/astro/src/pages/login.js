import { readUser, remember, signIn } from '../../../demo/calculator.js';
import { elsewhere, problemPage, readForm, redirect, tooLarge } from '../lib/respond.js';

export async function POST({ locals, request }) {
  const form = await readForm(request);
  if (!form) return tooLarge(locals);
  const { problem, user } = readUser(form);
  // A bad name: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(locals, 400, { title: 'Bad input', message: problem });
  // A new session id (the old one is ended), the data kept, the user as its subject.
  signIn(locals.session, user);
  remember(locals.session, form);
  return redirect('/');
}
export const ALL = elsewhere;
