// HTML for the demo's pages. Everything that came from a request or a cookie goes through
// escapeHtml: the session holds what users typed, and a page that printed it raw would let
// one note run script in the next visitor's page.

import { readFileSync } from 'node:fs';

// Inlined rather than served: the pages' CSP allows no stylesheet from anywhere but the page,
// and the fastify and hono examples render these same pages without a route for it.
const STYLE = readFileSync(new URL('./style.css', import.meta.url), 'utf8');

/** Escapes text for use in HTML content and in quoted attribute values. */
export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// ---- times people read ----------------------------------------------------------------------

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "6 days, 23 hours": the two largest units, the second left out when it is 0. */
function duration(ms) {
  const first = UNITS.findIndex(([, size]) => ms >= size);
  if (first === -1) return undefined;
  const [word, size] = UNITS[first];
  const parts = [plural(Math.floor(ms / size), word)];
  const next = UNITS[first + 1];
  const rest = next && Math.floor((ms % size) / next[1]);
  if (rest) parts.push(plural(rest, next[0]));
  return parts.join(', ');
}

/** "Sun 13 Dec, 14:02 UTC", with the year when it is not this one. Written out by hand so
 * every server, whatever its locale data, prints the same. */
function clock(date, now) {
  const year = date.getUTCFullYear() === now.getUTCFullYear() ? '' : ` ${date.getUTCFullYear()}`;
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}${year}, ${hh}:${mm} UTC`;
}

/** "in 6 days, 23 hours (Sun 13 Dec, 14:02 UTC)" or "3 minutes ago (…)", as a <time>. */
function timeElement(date, id) {
  const now = new Date();
  const diff = date.getTime() - now.getTime();
  const span = duration(Math.abs(diff));
  const relative = span === undefined ? 'just now' : diff > 0 ? `in ${span}` : `${span} ago`;
  const idAttribute = id ? ` id="${id}"` : '';
  return `<time${idAttribute} datetime="${date.toISOString()}">${relative} <span class="nowrap">(${clock(date, now)})</span></time>`;
}

// ---- the session panel ------------------------------------------------------------------------

/** The user this session is signed in as (POST /login), or undefined. */
function signedInAs(session) {
  const user = session.get('user');
  return typeof user === 'string' && user !== '' ? user : undefined;
}

/**
 * The session cookie: size, chunks, key id, expiry, who is signed in. `session.cookie`
 * is the cookie the request brought (the adapter commits when the response starts, after this
 * page is rendered); a cookie sealed with an older key is re-sealed by this response, and says so.
 */
function sessionPanel(session, sealingKeyId) {
  const info = session.cookie;
  const user = signedInAs(session);
  const signedIn = user === undefined ? 'not signed in' : `<b>${escapeHtml(user)}</b>`;
  const facts = [['User', `<span id="signed-in">${signedIn}</span>`]];
  let size;
  if (info) {
    const chunks = info.chunks === 1 ? '1 chunk' : `${info.chunks} chunks`;
    const share = Math.min(100, (info.bytes / info.limit) * 100);
    size =
      `<p class="size"><b id="cookie-bytes">${info.bytes}</b> bytes in ` +
      `<b id="cookie-chunks">${escapeHtml(chunks)}</b></p>\n` +
      `<div class="meter${share > 75 ? ' high' : ''}" aria-hidden="true">` +
      `<span style="width: ${share.toFixed(1)}%"></span></div>\n` +
      `<p class="meter-caption"><span>${Math.round(share)}% of the limit</span>` +
      `<span>limit ${info.limit} bytes</span></p>`;
    const resealed = sealingKeyId !== undefined && info.keyId !== sealingKeyId;
    facts.push([
      'Key id',
      resealed
        ? `<code id="key-id">${escapeHtml(sealingKeyId)}</code> <span class="note">this response ` +
          `re-seals it; your browser sent it sealed with <code>${escapeHtml(info.keyId)}</code></span>`
        : `<code id="key-id">${escapeHtml(info.keyId)}</code>`,
    ]);
    facts.push([
      'Expires',
      timeElement(info.expiresAt, 'expires') +
        (resealed ? ' <span class="note">moved later by the re-seal</span>' : ''),
    ]);
    facts.push([
      'Kept',
      `<span id="cookie-lifetime">${
        session.options().persistent ? 'after the browser closes' : 'until the browser closes'
      }</span>`,
    ]);
  } else {
    size = '<p class="empty">No session cookie: nothing is stored yet.</p>';
  }
  const rows = facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('\n');
  return `<aside class="card panel" id="session-panel" aria-labelledby="session-title">
<h2 id="session-title">Your session <span class="badge">encrypted cookie</span></h2>
<div id="cookie-info">
${size}
</div>
<dl class="facts">
${rows}
</dl>
<form method="post" action="/logout">
  <button type="submit" id="logout" class="danger">Forget me</button>
</form>${
    signedInAs(session) === undefined
      ? ''
      : `
<form method="post" action="/logout-everywhere">
  <button type="submit" id="logout-everywhere" class="danger">Sign out everywhere</button>
</form>`
  }
</aside>`;
}

/**
 * A rejected cookie, at the top of the page where it is seen. Only the reason, one of a fixed
 * list (malformed, expired, tampered…): the detail is for the server's log, which is where the
 * server writes it.
 */
function rejectionNote(session) {
  if (!session.rejection) return '';
  return (
    `<p id="rejection" class="warn">The cookie your browser sent was rejected ` +
    `(<b>${escapeHtml(session.rejection.reason)}</b>). You start with an empty session.</p>\n`
  );
}

// ---- pages ------------------------------------------------------------------------------------

/**
 * A whole page: header, the title and `body`, the session panel, and the footer with the note
 * about the Secure attribute. `lead` is an optional paragraph under the title.
 */
export function page(title, body, session, sealingKeyId, lead) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · jwe-session demo</title>
<style>
${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<div class="inner">
<a class="brand" href="/"><span class="mark" aria-hidden="true"></span>jwe-session <span class="sub">demo</span></a>
<nav aria-label="Session data"><a href="/session.json">Session as JSON</a></nav>
</div>
</header>
<main id="main" class="layout">
<div class="content">
<div class="intro">
<h1>${escapeHtml(title)}</h1>
${lead ? `<p>${lead}</p>\n` : ''}</div>
${rejectionNote(session)}${body}
</div>
${sessionPanel(session, sealingKeyId)}
</main>
<footer class="site-footer">
<p>The whole session lives in the encrypted <code>session</code> cookie: no database.
See it as JSON at <a href="/session.json">/session.json</a>.</p>
<p id="secure-note">This demo sets the cookie without the <code>Secure</code> attribute only because it
runs over plain HTTP on localhost. A real app serves HTTPS and keeps the default, <code>secure: true</code>.</p>
</footer>
</body>
</html>
`;
}

/**
 * GET /: the calculator form, the notes form and list. `csrf`, when the session has one, goes
 * into the notes form as `_csrf`: the habit an app with `crossSite: { token: true }` needs
 * (this demo leaves it off, so curl can post; browsers are checked by their headers).
 */
export function homePage(session, sealingKeyId, csrf) {
  const notes = session.get('notes') ?? [];
  const items = notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('\n');
  const calculation = session.get('calculation');
  const last = calculation
    ? `Last: a = ${escapeHtml(calculation.a)}, b = ${escapeHtml(calculation.b)} · ` +
      '<a href="/result" id="result-link">See the last result</a>'
    : 'No calculation yet.';
  return page(
    'A session that lives in a cookie',
    `<section class="card" aria-labelledby="calculator-title">
<h2 id="calculator-title">Calculator</h2>
<p class="hint">Enter two numbers: the result is computed on the server, kept in your session
cookie, and shown on the next page.</p>
<form method="post" action="/calculate" class="fields">
  <div class="field"><label for="a">Number a</label><input type="text" inputmode="decimal" id="a" name="a" autocomplete="off" required></div>
  <div class="field"><label for="b">Number b</label><input type="text" inputmode="decimal" id="b" name="b" autocomplete="off" required></div>
  <button type="submit" id="calculate">Calculate</button>
</form>
<p class="last-result">${last}</p>
</section>
<section class="card" aria-labelledby="notes-title">
<h2 id="notes-title">Notes</h2>
<p class="hint">Each note is added to the session. Add long ones to watch the cookie split into
chunks (<code>session</code>, <code>session.1</code>, …) and then reach its size limit.</p>
<form method="post" action="/notes">${csrf ? `\n  <input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">` : ''}
  <label for="note">New note</label>
  <textarea id="note" name="note" rows="3" required></textarea>
  <div class="actions"><button type="submit" id="add-note">Add note</button></div>
</form>
<p class="count" id="note-count">${notes.length === 1 ? '1 note' : `${notes.length} notes`}</p>
<ol id="notes" class="notes">${items ? `\n${items}\n` : ''}</ol>
</section>
<section class="card" aria-labelledby="sign-in-title">
<h2 id="sign-in-title">Sign in</h2>
<p class="hint">No password here: any name of 1 to 64 letters, digits, <code>_</code> or
<code>-</code>. Signing in starts a new session (a new id) that keeps your calculation and
notes. "Forget me" ends it for good, even in a copy of the cookie; "Sign out everywhere" ends
every session of that name, in every browser.</p>
<form method="post" action="/login">
  <div class="fields">
  <div class="field"><label for="user">Name</label><input type="text" id="user" name="user" autocomplete="username" maxlength="64" pattern="[A-Za-z0-9_-]{1,64}" required></div>
  <button type="submit" id="login">Sign in</button>
  </div>
  <input type="hidden" name="remember" value="0">
  <label class="check"><input type="checkbox" id="remember" name="remember" value="1" checked> Remember me after the browser closes</label>
</form>
</section>`,
    session,
    sealingKeyId,
    'Everything here is kept in one encrypted cookie, with no database behind it. Compute ' +
      'something, add notes, and watch the cookie grow, split into chunks and reach its limit.',
  );
}

/** GET /result: the stored calculation, or a note that there is none. */
export function resultPage(session, sealingKeyId) {
  const calc = session.get('calculation');
  if (!calc) {
    return page(
      'Result',
      '<section class="card"><p id="result">No calculation yet.</p>' +
        '<p><a href="/" class="back"><span aria-hidden="true">←</span> Back to the calculator</a></p></section>',
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
    .map(([label, value]) => `<tr><th scope="row">${label}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const at = new Date(calc.at);
  const computed = Number.isNaN(at.getTime()) ? escapeHtml(calc.at) : timeElement(at);
  return page(
    'Result',
    `<section class="card">
<p id="result">For a = <b>${escapeHtml(calc.a)}</b> and b = <b>${escapeHtml(calc.b)}</b>:</p>
<table id="results" class="results">
${rows}
</table>
<p class="hint">Computed ${computed}, read back from your session cookie.</p>
<p><a href="/" id="back" class="back"><span aria-hidden="true">←</span> Back</a></p>
</section>`,
    session,
    sealingKeyId,
  );
}

/** An error page (400, 404, 405, 413) with a link back. */
export function errorPage(title, message, session, sealingKeyId) {
  return page(
    title,
    `<section class="card">
<p id="error" class="warn">${escapeHtml(message)}</p>
<p><a href="/" class="back"><span aria-hidden="true">←</span> Back</a></p>
</section>`,
    session,
    sealingKeyId,
  );
}
