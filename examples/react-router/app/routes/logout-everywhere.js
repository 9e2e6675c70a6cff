import { redirect } from 'react-router';
import { EVERYWHERE_FAILED } from '../../../demo/calculator.js';
import { elsewhere, post, problemPage, sessionOf } from '../demo.server.js';
import { NAME, store } from '../session.server.js';

export const loader = elsewhere;

export const action = post(async ({ context }) => {
  const session = sessionOf(context);
  const subject = session.subject;
  if (subject === undefined) return redirect('/', 303); // not signed in: nothing to end
  try {
    // Every session of this user, in every browser and on every process of the app.
    await store.revokeSubject(subject);
  } catch (error) {
    // The revocation store did not take it (Redis away): say so, and change nothing.
    console.warn(`${NAME}: sign out everywhere failed: ${error.name}`);
    return problemPage(context, EVERYWHERE_FAILED.status, EVERYWHERE_FAILED);
  }
  session.destroy();
  return redirect('/', 303);
});
