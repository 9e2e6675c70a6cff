import { errors } from 'jwe-session';
import { redirect } from 'react-router';
import { readNote, sessionFull } from '../../../demo/calculator.js';
import { elsewhere, post, problemPage, readForm, sessionOf, tooLarge } from '../demo.server.js';

export const loader = elsewhere;

export const action = post(async ({ request, context }) => {
  const form = await readForm(request);
  if (!form) return tooLarge(context);
  const { problem, note } = readNote(form);
  if (problem) return problemPage(context, 400, { title: 'Bad input', message: problem });
  const session = sessionOf(context);
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  try {
    // Commit now, so a session grown past its limit fails here, where the route answers it.
    await session.save();
  } catch (error) {
    if (!(error instanceof errors.SessionTooLargeError)) throw error;
    // Nothing was written: put the data back as loaded, so no Set-Cookie goes out.
    session.set('notes', notes);
    return problemPage(context, 413, sessionFull(error, notes));
  }
  return redirect('/', 303);
});
