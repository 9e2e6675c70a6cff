import { EVERYWHERE_FAILED } from '../../../demo/calculator.js';
import { elsewhere, problemPage, redirect } from '../lib/respond.js';
import { NAME, store } from '../lib/session.js';

export async function POST({ locals }) {
  const { session } = locals;
  const subject = session.subject;
  if (subject === undefined) return redirect('/'); // not signed in: nothing to end
  try {
    // Every session of this user, in every browser and on every process of the app.
    await store.revokeSubject(subject);
  } catch (error) {
    // The revocation store did not take it (Redis away): say so, and change nothing.
    console.warn(`${NAME}: sign out everywhere failed: ${error.name}`);
    return problemPage(locals, EVERYWHERE_FAILED.status, EVERYWHERE_FAILED);
  }
  session.destroy();
  return redirect('/');
}
export const ALL = elsewhere;
