import { redirect } from '@sveltejs/kit';
import { EVERYWHERE_FAILED } from '../../../../demo/calculator.js';
import { problemPage } from '../../lib/server/pages.js';
import { NAME, store } from '../../lib/server/session.js';

/** POST /logout-everywhere: end every session of the signed-in user, this one too; 303 to /. */
export async function POST({ locals }) {
  const { session } = locals;
  const subject = session.subject;
  if (subject === undefined) redirect(303, '/'); // not signed in: nothing to end
  try {
    // Every session of this user, in every browser and on every process of the app.
    await store.revokeSubject(subject);
  } catch (error) {
    // The revocation store did not take it (Redis away): say so, and change nothing.
    console.warn(`${NAME}: sign out everywhere failed: ${error.name}`);
    return problemPage(locals, EVERYWHERE_FAILED.status, EVERYWHERE_FAILED);
  }
  session.destroy();
  redirect(303, '/');
}
