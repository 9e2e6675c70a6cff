// The demo's own pages (../demo/html.js) as Response bodies, so every example's markup is the same.
import {
  allowedFor,
  BODY_TOO_LARGE,
  methodNotAllowed,
  notFound,
  PAGE_HEADERS,
  readFetchForm,
} from '../../../demo/calculator.js';
import { errorPage } from '../../../demo/html.js';
import { store } from './session.js';

/**
 * A page. No save() here: the middleware commits the session after the route returned; the
 * panel says when this response re-seals the cookie under a newer key.
 */
export function page(locals, status, render, headers = {}) {
  const html = render(locals.session, store.keyRing.primaryId);
  return new Response(html, { status, headers: { ...PAGE_HEADERS, ...headers } });
}

export function problemPage(locals, status, { title, message }, headers) {
  return page(locals, status, (session, key) => errorPage(title, message, session, key), headers);
}

export function redirect(location) {
  return new Response(null, { status: 303, headers: { Location: location } });
}

/** The urlencoded form, or undefined past MAX_BODY_BYTES (answer tooLarge). */
export const readForm = readFetchForm;

/** A body over the limit: 413 and nothing read; the session is untouched, so no cookie is sent. */
export const tooLarge = (locals) =>
  problemPage(locals, 413, BODY_TOO_LARGE, { Connection: 'close' });

/** The route's other methods and any unknown path: 405 with Allow, or 404. */
export function elsewhere({ locals, url }) {
  const allow = allowedFor(url.pathname);
  if (!allow) return problemPage(locals, 404, notFound(url.pathname));
  return problemPage(locals, 405, methodNotAllowed(url.pathname, allow), { Allow: allow });
}
