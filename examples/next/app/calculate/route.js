import { getSession } from 'jwe-session/next';
import { calculate, MAX_BODY_BYTES, parseNumber, readForm } from '../../lib/form.js';
import { errorResponse, seeOther } from '../../lib/html.js';
import { store } from '../../lib/session.js';

/** POST /calculate: compute from a and b, keep inputs and results in the session, 303 to /result. */
export async function POST(request) {
  const session = await getSession(store);
  const form = await readForm(request);
  if (!form) {
    return errorResponse(
      413,
      'Request too large',
      `The form data is over ${MAX_BODY_BYTES / 1024} KB; nothing was read or saved.`,
      session,
    );
  }
  const a = parseNumber(form, 'a');
  const b = parseNumber(form, 'b');
  const problem = a.error ?? b.error;
  // Bad input: 400, and the session is left alone (nothing saved, so no Set-Cookie).
  if (problem) return errorResponse(400, 'Bad input', problem, session);
  const results = calculate(a.value, b.value);
  if (!results)
    return errorResponse(400, 'Bad input', 'The result is too large to compute.', session);
  session.set('calculation', { a: a.value, b: b.value, ...results, at: new Date().toISOString() });
  await session.save();
  return seeOther('/result');
}
