// HTML for the demo's pages. Everything that came from a request or a cookie goes through
// escapeHtml: the session holds what users typed, and a page that printed it raw would let
// one note run script in the next visitor's page.

/** Escapes text for use in HTML content and in quoted attribute values. */
export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The session cookie: size, chunks, key id, expiry, rejection. `session.cookie` is the cookie
 * the request brought (the adapter commits when the response starts, after this page is
 * rendered); a cookie sealed with an older key is re-sealed by this response, and says so.
 */
function cookiePanel(session, sealingKeyId) {
  const lines = [];
  const info = session.cookie;
  if (info) {
    const chunks = info.chunks === 1 ? '1 chunk' : `${info.chunks} chunks`;
    const resealed = sealingKeyId !== undefined && info.keyId !== sealingKeyId;
    const key = resealed
      ? `key id <code id="key-id">${escapeHtml(sealingKeyId)}</code> (this response re-seals it; ` +
        `your browser sent it sealed with <code>${escapeHtml(info.keyId)}</code>)`
      : `key id <code id="key-id">${escapeHtml(info.keyId)}</code>`;
    lines.push(
      `<p id="cookie-info">Session cookie: <b id="cookie-bytes">${info.bytes}</b> bytes in ` +
        `<b id="cookie-chunks">${escapeHtml(chunks)}</b> (limit ${info.limit} bytes) · ${key} · ` +
        `expires <time id="expires" datetime="${info.expiresAt.toISOString()}">` +
        `${info.expiresAt.toISOString()}</time>${resealed ? ' (moved later by the re-seal)' : ''}</p>`,
    );
  } else {
    lines.push('<p id="cookie-info">No session cookie: nothing is stored yet.</p>');
  }
  if (session.rejection) {
    // Only the reason, one of a fixed list (malformed, expired, tampered…): the detail is for
    // the server's log, which is where the server writes it.
    lines.push(
      `<p id="rejection" class="warn">The cookie your browser sent was rejected ` +
        `(<b>${escapeHtml(session.rejection.reason)}</b>). You start with an empty session.</p>`,
    );
  }
  return lines.join('\n');
}

/** A whole page: title, body, the cookie panel and the note about the Secure attribute. */
export function page(title, body, session, sealingKeyId) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · jwe-session demo</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  form { margin: 1rem 0; } input[type=text] { width: 8rem; } textarea { width: 100%; }
  footer { margin-top: 2rem; border-top: 1px solid #ccc; font-size: 0.9rem; color: #444; }
  th { text-align: left; padding-right: 1rem; } .warn { color: #a00; }
  code { background: #f3f3f3; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
<footer>
${cookiePanel(session, sealingKeyId)}
<p>The whole session lives in the encrypted <code>session</code> cookie: no database.
See it as JSON at <a href="/session.json">/session.json</a>.</p>
<p id="secure-note">This demo sets the cookie without the <code>Secure</code> attribute only because it
runs over plain HTTP on localhost. A real app serves HTTPS and keeps the default, <code>secure: true</code>.</p>
</footer>
</body>
</html>
`;
}

/** GET /: the calculator form, the notes form and list, and the forget-me button. */
export function homePage(session, sealingKeyId) {
  const notes = session.get('notes') ?? [];
  const items = notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('\n');
  const calculation = session.get('calculation');
  return page(
    'jwe-session demo',
    `<p>Enter two numbers: the result is computed on the server, kept in your session cookie,
and shown on the next page.</p>
<form method="post" action="/calculate">
  <label>a <input type="text" inputmode="decimal" name="a" required></label>
  <label>b <input type="text" inputmode="decimal" name="b" required></label>
  <button type="submit" id="calculate">Calculate</button>
</form>
<p>${calculation ? '<a href="/result" id="result-link">See the last result</a>' : 'No calculation yet.'}</p>
<h2>Notes</h2>
<p>Each note is added to the session. Add long ones to watch the cookie split into chunks
(<code>session</code>, <code>session.1</code>, …) and then reach its size limit.</p>
<form method="post" action="/notes">
  <textarea name="note" rows="3" required></textarea>
  <input type="hidden" name="remember" value="0">
  <label><input type="checkbox" name="remember" value="1" id="remember"${session.options().persistent ? ' checked' : ''}> Remember me (unchecked: the cookie ends when the browser closes)</label>
  <button type="submit" id="add-note">Add note</button>
</form>
<p id="note-count">${notes.length === 1 ? '1 note' : `${notes.length} notes`}</p>
<ol id="notes">
${items}
</ol>
<form method="post" action="/logout">
  <button type="submit" id="logout">Forget me</button>
</form>`,
    session,
    sealingKeyId,
  );
}

/** GET /result: the stored calculation, or a note that there is none. */
export function resultPage(session, sealingKeyId) {
  const calc = session.get('calculation');
  if (!calc) {
    return page(
      'Result',
      '<p id="result">No calculation yet.</p><p><a href="/">Back</a></p>',
      session,
      sealingKeyId,
    );
  }
  const quotient = calc.quotient === null ? 'undefined (division by zero)' : calc.quotient;
  const rows = [
    ['a + b', calc.sum],
    ['a − b', calc.difference],
    ['a × b', calc.product],
    ['a ÷ b', quotient],
  ]
    .map(([label, value]) => `<tr><th>${label}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  return page(
    'Result',
    `<p id="result">For a = <b>${escapeHtml(calc.a)}</b> and b = <b>${escapeHtml(calc.b)}</b>:</p>
<table id="results">
${rows}
</table>
<p>Computed at ${escapeHtml(calc.at)}, read back from your session cookie.</p>
<p><a href="/" id="back">Back</a></p>`,
    session,
    sealingKeyId,
  );
}

/** An error page (400, 404, 405, 413) with a link back. */
export function errorPage(title, message, session, sealingKeyId) {
  return page(
    title,
    `<p id="error" class="warn">${escapeHtml(message)}</p><p><a href="/">Back</a></p>`,
    session,
    sealingKeyId,
  );
}
