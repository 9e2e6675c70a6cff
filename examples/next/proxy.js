// Server Components read the session but cannot write cookies. The proxy writes what a page
// view needs: the sliding idle refresh, a spent flash, a re-seal under a rotated key, and
// the deletion of a rejected cookie. Nothing on a POST: its Route Handler or Server Action
// writes the cookie itself. It is also where the cross-site check runs for the Route
// Handlers (POST /calculate, /notes, /logout): a form posted from another site gets 403
// here, before the route (Next.js checks only Server Actions itself).
import { sessionProxy } from 'jwe-session/next';
import { store } from './lib/session.js';

export const proxy = sessionProxy(store);

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
