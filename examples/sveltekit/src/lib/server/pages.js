// The demo's own pages (../demo/html.js), served as whole documents from the endpoints, so the
// markup is the one every example shares. No save() here: the hook commits the session once
// the response is made; the panel says when this response re-seals the cookie.
import { error } from '@sveltejs/kit';
import { BODY_TOO_LARGE, PAGE_HEADERS, readFetchForm } from '../../../../demo/calculator.js';
import { errorPage } from '../../../../demo/html.js';
import { store } from './session.js';

/** A page rendered by `render(session, sealingKeyId)`. */
export function page(locals, status, render, headers = {}) {
  const html = render(locals.session, store.keyRing.primaryId);
  return new Response(html, { status, headers: { ...PAGE_HEADERS, ...headers } });
}

/** An error page (400, 413, 424) with the session panel as it stays. */
export function problemPage(locals, status, { title, message }, headers) {
  return page(locals, status, (session, key) => errorPage(title, message, session, key), headers);
}

/**
 * The urlencoded form of a POST as `{ form }`, read up to MAX_BODY_BYTES; past that,
 * `{ response }`: the 413 page to answer with (nothing read or saved). Any other body is read
 * the same way, as the plain demo does.
 */
export async function readForm({ request, locals }) {
  const form = await readFetchForm(request).catch(() => error(400, 'Unreadable body.'));
  if (form === undefined) return { response: problemPage(locals, 413, BODY_TOO_LARGE) };
  return { form };
}
