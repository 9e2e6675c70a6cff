import { redirect } from '@sveltejs/kit';
import { errors } from 'jwe-session';
import { readNote, sessionFull } from '../../../../demo/calculator.js';
import { problemPage, readForm } from '../../lib/server/pages.js';

/** POST /notes: append a note, 303 to /. Past the cookie size limit: 413, session unchanged. */
export async function POST(event) {
  const { form, response } = await readForm(event);
  if (response) return response;
  const { problem, note } = readNote(form);
  if (problem) return problemPage(event.locals, 400, { title: 'Bad input', message: problem });
  const { session } = event.locals;
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  try {
    // Commit now, so a session grown past its limit fails here, where the route answers it
    // (left to the hook, it would reach handleError as a 500).
    await session.save();
  } catch (error) {
    if (!(error instanceof errors.SessionTooLargeError)) throw error;
    // Nothing was written: put the data back as loaded, so no Set-Cookie goes out.
    session.set('notes', notes);
    return problemPage(event.locals, 413, sessionFull(error, notes));
  }
  redirect(303, '/');
}
