import { elsewhere, redirect } from '../lib/respond.js';

export function POST({ locals }) {
  // The response expires every chunk the browser holds, and the session id is ended, so a
  // copy of the cookie is refused too.
  locals.session.destroy();
  return redirect('/');
}
export const ALL = elsewhere;
