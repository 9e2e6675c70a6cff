import { randomBytes } from 'node:crypto';

/** Past the cookie size limit, with a cookie of SvelteKit's own set too: neither goes out. */
export function GET({ locals, cookies }) {
  cookies.set('other', 'x', { path: '/' });
  locals.session.set('blob', randomBytes(9000).toString('base64url'));
  return new Response('never sent');
}
