import { calculate } from '../../../demo/calculator.js';
import { readPost } from '../../lib/form.js';
import { errorResponse, seeOther } from '../../lib/html.js';

/** POST /calculate: compute from a and b, keep inputs and results in the session, 303 to /result. */
export async function POST(request) {
  const { session, form, response } = await readPost(request);
  if (response) return response;
  const { problem, calculation } = calculate(form);
  // Bad input: 400, and the session is left alone (nothing saved, so no Set-Cookie).
  if (problem) return errorResponse(400, 'Bad input', problem, session);
  session.set('calculation', calculation);
  await session.save();
  return seeOther('/result');
}
