// The error pages of the Route Handlers (400, 413), as plain HTML: a Route Handler answers
// with a Response, not with React. Everything from a request or a cookie is escaped.

export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function signedIn(session) {
  const user = session.get('user');
  const who = typeof user === 'string' && user ? `<b>${escapeHtml(user)}</b>` : 'not signed in';
  return `<p>Signed in as: <span id="signed-in">${who}</span></p>`;
}

function cookieInfo(session) {
  const info = session.cookie;
  if (!info) return '<p id="cookie-info">No session cookie: nothing is stored yet.</p>';
  const chunks = info.chunks === 1 ? '1 chunk' : `${info.chunks} chunks`;
  return (
    `<p id="cookie-info">Session cookie: <b id="cookie-bytes">${info.bytes}</b> bytes in ` +
    `<b id="cookie-chunks">${chunks}</b> (limit ${info.limit} bytes) · key id ` +
    `<code id="key-id">${escapeHtml(info.keyId)}</code> · expires ` +
    `<time id="expires">${info.expiresAt.toISOString()}</time></p>`
  );
}

/** A Response with an error page: status, title, message and the cookie as it stays. */
export function errorResponse(status, title, message, session) {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · jwe-session Next.js example</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p id="error" class="warn">${escapeHtml(message)}</p>
<p><a href="/">Back</a></p>
<footer>${signedIn(session)}${cookieInfo(session)}</footer>
</body>
</html>
`;
  return new Response(html, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** 303 See Other: after a POST, the browser follows with a GET, so a reload does not re-post. */
export function seeOther(location) {
  return new Response(`See ${location}\n`, {
    status: 303,
    headers: { Location: location, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
