import { errors } from 'jwe-session';
import { readNote, sessionFull } from '../../../demo/calculator.js';
import { readPost } from '../../lib/form.js';
import { errorResponse, seeOther } from '../../lib/html.js';

/** POST /notes: append a note, 303 to /. Past the cookie size limit: 413, session unchanged. */
export async function POST(request) {
  const { session, form, response } = await readPost(request);
  if (response) return response;
  const { problem, note } = readNote(form);
  if (problem) return errorResponse(400, 'Bad input', problem, session);
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  try {
    await session.save();
  } catch (error) {
    if (!(error instanceof errors.SessionTooLargeError)) throw error;
    // Nothing reached cookies(): the browser keeps the cookie it has. Put the data back, so
    // the page below shows the session as it stays.
    session.set('notes', notes);
    const { title, message } = sessionFull(error, notes);
    return errorResponse(413, title, message, session);
  }
  return seeOther('/');
}
