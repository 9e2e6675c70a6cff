import { allowedFor, methodNotAllowed, notFound } from '../../../../demo/calculator.js';
import { problemPage } from '../../lib/server/pages.js';

/**
 * Any path no other route has, with any method: the demo's 404 page (or 405, with Allow, for
 * a known path), with the session panel, as every example answers it.
 */
export function fallback({ locals, url }) {
  const allow = allowedFor(url.pathname);
  if (!allow) return problemPage(locals, 404, notFound(url.pathname));
  return problemPage(locals, 405, methodNotAllowed(url.pathname, allow), { Allow: allow });
}
