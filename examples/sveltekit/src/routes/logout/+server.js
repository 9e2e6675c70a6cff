import { redirect } from '@sveltejs/kit';

/**
 * POST /logout: the response expires every chunk the browser holds, and the session id is
 * ended, so a copy of the cookie is refused too.
 */
export function POST({ locals }) {
  locals.session.destroy();
  redirect(303, '/');
}
