import { SessionTooLargeError } from 'jwe-session';
import { getSession } from 'jwe-session/next';
import { MAX_BODY_BYTES, readForm } from '../../lib/form.js';
import { errorResponse, seeOther } from '../../lib/html.js';
import { store } from '../../lib/session.js';

/** POST /notes: append a note, 303 to /. Past the cookie size limit: 413, session unchanged. */
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
  const note = form.get('note')?.trim();
  if (!note) return errorResponse(400, 'Bad input', 'note is missing: write something.', session);
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  try {
    await session.save();
  } catch (error) {
    if (!(error instanceof SessionTooLargeError)) throw error;
    // Nothing reached cookies(): the browser keeps the cookie it has. Put the data back, so
    // the page below shows the session as it stays.
    session.set('notes', notes);
    const count = notes?.length ?? 0;
    return errorResponse(
      413,
      'Session full',
      `This note would make the session cookie ${error.size} bytes, over its ${error.limit}-byte limit, ` +
        `so it was not saved. Your ${count === 1 ? 'note is' : `${count} notes are`} unchanged; ` +
        '"Forget me" starts over.',
      session,
    );
  }
  return seeOther('/');
}
