// The framework glue of the demo's routes: pages and answers from ../../demo (the same
// markup and text as every example), each route answering one method and 405 to the others.
import {
  allowedFor,
  BODY_TOO_LARGE,
  methodNotAllowed,
  notFound,
  PAGE_HEADERS,
  readFetchForm,
} from '../../demo/calculator.js';
import { errorPage } from '../../demo/html.js';
import { sessionContext, store } from './session.server.js';

/** This request's session, as the middleware (app/root.jsx) opened it. */
export const sessionOf = (context) => context.get(sessionContext);

/** A page of ../../demo/html.js, rendered with the session as the middleware opened it. */
export function page(context, status, render, headers = {}) {
  const html = render(sessionOf(context), store.keyRing.primaryId);
  return new Response(html, { status, headers: { ...PAGE_HEADERS, ...headers } });
}

export function problemPage(context, status, { title, message }, headers) {
  return page(context, status, (session, key) => errorPage(title, message, session, key), headers);
}

/** The urlencoded form, or undefined past MAX_BODY_BYTES (the answer is a 413 that closes the connection). */
export const readForm = readFetchForm;

export function tooLarge(context) {
  return problemPage(context, 413, BODY_TOO_LARGE, { Connection: 'close' });
}

/** 405 for a known path asked with another method, 404 for an unknown one. */
export function elsewhere({ request, context }) {
  const { pathname } = new URL(request.url);
  const allow = allowedFor(pathname);
  if (!allow) return problemPage(context, 404, notFound(pathname));
  return problemPage(context, 405, methodNotAllowed(pathname, allow), { Allow: allow });
}

/**
 * The action of a route that answers POST: React Router runs the action for PUT, DELETE…
 * too, which get the 405. (A GET-only route's action is `elsewhere`, as a POST-only route's
 * loader is.)
 */
export const post = (handler) => (args) =>
  args.request.method === 'POST' ? handler(args) : elsewhere(args);
