// Reading the urlencoded form posts of the Route Handlers. What a form means (the numbers, the
// note, the answers) is the demo's (../../demo/calculator.js), as in every example app.
import { getSession } from 'jwe-session/next';
import { BODY_TOO_LARGE, readFetchForm } from '../../demo/calculator.js';
import { errorResponse } from './html.js';
import { store } from './session.js';

/** The form, or undefined once the body passes MAX_BODY_BYTES (so the caller answers 413). */
export const readForm = readFetchForm;

/**
 * How every form-post Route Handler starts: the session and the form, or, for a body over
 * MAX_BODY_BYTES, the 413 page to answer with instead (nothing was read or saved).
 */
export async function readPost(request) {
  const session = await getSession(store);
  const form = await readForm(request);
  if (form) return { session, form };
  const { title, message } = BODY_TOO_LARGE;
  return { session, response: errorResponse(413, title, message, session) };
}
