import { errors } from 'jwe-session';
import { readNote, sessionFull } from '../../../demo/calculator.js';
import { elsewhere, problemPage, readForm, redirect, tooLarge } from '../lib/respond.js';

export async function POST({ locals, request }) {
  const form = await readForm(request);
  if (!form) return tooLarge(locals);
  const { problem, note } = readNote(form);
  if (problem) return problemPage(locals, 400, { title: 'Bad input', message: problem });
  const { session } = locals;
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  try {
    // Commit now, so a session grown past its limit fails here, where the route answers it.
    await session.save();
  } catch (error) {
    if (!(error instanceof errors.SessionTooLargeError)) throw error;
    // Nothing was written: put the data back as loaded, so no Set-Cookie goes out.
    session.set('notes', notes);
    return problemPage(locals, 413, sessionFull(error, notes));
  }
  return redirect('/');
}
export const ALL = elsewhere;
