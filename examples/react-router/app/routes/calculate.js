import { redirect } from 'react-router';
import { calculate } from '../../../demo/calculator.js';
import { elsewhere, post, problemPage, readForm, sessionOf, tooLarge } from '../demo.server.js';

export const loader = elsewhere;

export const action = post(async ({ request, context }) => {
  const form = await readForm(request);
  if (!form) return tooLarge(context);
  const { problem, calculation } = calculate(form);
  // Bad input: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(context, 400, { title: 'Bad input', message: problem });
  sessionOf(context).set('calculation', calculation);
  // No save() needed: the middleware seals the session before the 303 goes out.
  return redirect('/result', 303);
});
