import { redirect } from '@sveltejs/kit';
import { calculate } from '../../../../demo/calculator.js';
import { problemPage, readForm } from '../../lib/server/pages.js';

/** POST /calculate: store the inputs and results, 303 to /result. Bad input: 400, unchanged. */
export async function POST(event) {
  const { form, response } = await readForm(event);
  if (response) return response;
  const { problem, calculation } = calculate(form);
  // Bad input: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(event.locals, 400, { title: 'Bad input', message: problem });
  event.locals.session.set('calculation', calculation);
  // A thrown redirect is an answer: the hook seals the session onto the 303.
  redirect(303, '/result');
}
