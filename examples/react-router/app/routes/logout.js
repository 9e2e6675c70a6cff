import { redirect } from 'react-router';
import { elsewhere, post, sessionOf } from '../demo.server.js';

export const loader = elsewhere;

export const action = post(({ context }) => {
  // The response expires every chunk the browser holds, and the session id is ended, so a
  // copy of the cookie is refused too.
  sessionOf(context).destroy();
  return redirect('/', 303);
});
