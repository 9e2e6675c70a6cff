// The demo's own pages (../demo/html.js), served as whole documents from the endpoints, so the
// markup is the one every example shares. No save() here: the hook commits the session once
// the response is made; the panel says when this response re-seals the cookie.
import { error } from '@sveltejs/kit';
import { BODY_TOO_LARGE, MAX_BODY_BYTES, PAGE_HEADERS } from '../../../../demo/calculator.js';
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
  const tooLarge = () => ({ response: problemPage(locals, 413, BODY_TOO_LARGE) });
  if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) return tooLarge();
  if (!request.body) return { form: new URLSearchParams() };
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => error(400, 'Unreadable body.'));
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return { form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
}
