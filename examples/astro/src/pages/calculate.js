import { calculate } from '../../../demo/calculator.js';
import { elsewhere, problemPage, readForm, redirect, tooLarge } from '../lib/respond.js';

export async function POST({ locals, request }) {
  const form = await readForm(request);
  if (!form) return tooLarge(locals);
  const { problem, calculation } = calculate(form);
  // Bad input: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(locals, 400, { title: 'Bad input', message: problem });
  locals.session.set('calculation', calculation);
  // No save() needed: the middleware seals the session before the 303 goes out.
  return redirect('/result');
}
export const ALL = elsewhere;
