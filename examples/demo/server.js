// The jwe-session demo: `npm start`, then open the URL it prints.
//
// A value computed from a form post on one page is shown on the next page, with no database:
// the whole session is JSON sealed into the `session` cookie. Plain node:http plus the Node
// adapter, imported by package name as an app would (a package can import itself through the
// "exports" map of its package.json, so this runs against the built dist/).
//
//   PORT          port to listen on (default 3000; 0 picks a free one)
//   HOST          address to listen on (default 127.0.0.1)
//   SESSION_KEYS  comma-separated `id:key` entries, first seals, all unseal (`npx jwe-session keygen`).
//                 Unset: a random key for this process only, with a warning on stderr; but
//                 with NODE_ENV set to anything but development or test, no start at all.
//   REDIS_URL     redis://… : keep revocations (logouts, "sign out everywhere") in that Redis,
//                 shared by every process of the demo. Unset: in this process's memory.

import { createServer } from 'node:http';
import { createSessionStore, errors } from 'jwe-session';
import { withSession } from 'jwe-session/node';
import {
  ALLOWED,
  BODY_TOO_LARGE,
  calculate as calculation,
  EVERYWHERE_FAILED,
  JSON_HEADERS,
  listenPort,
  MAX_BODY_BYTES,
  methodNotAllowed,
  notFound,
  PAGE_HEADERS,
  readNote,
  readUser,
  remember,
  sessionFull,
  signIn,
} from './calculator.js';
import { errorPage, homePage, resultPage } from './html.js';
import { revocationFromEnv } from './revocation.js';

const port = listenPort(process.env.PORT ?? '3000', 'jwe-session demo');
const host = process.env.HOST ?? '127.0.0.1';

/**
 * What this app keeps in a session; `session.get('notes')` is typed from it.
 * @type {import('jwe-session').SessionStore<{
 *   calculation?: { a: number, b: number, sum: number, difference: number, product: number,
 *                   quotient: number | null, at: string },
 *   notes?: string[],
 *   user?: string,
 * }>}
 */
/** A bad or missing SESSION_KEYS: its message (never the secret) on stderr, and no server. */
function refuseToStart(error) {
  if (!(error instanceof errors.SessionConfigError)) throw error;
  console.error(`jwe-session demo: ${error.message}`);
  process.exit(1);
}

const { revocation, close: closeRevocation } =
  await revocationFromEnv('jwe-session demo').catch(refuseToStart);

let store;
try {
  store = createSessionStore({
    // Secure is off only because this demo runs over plain HTTP on localhost: browsers keep a
    // Secure cookie only from HTTPS (some, not all, make an exception for localhost). Keep the
    // default, secure: true, in a real app.
    cookie: { name: 'session', secure: false },
    // On: destroy() and sign-in end the old session id for good, and revokeSubject() ends
    // every session of a user (see ./revocation.js for where the revocations live).
    revocation,
  });
} catch (error) {
  // A bad SESSION_KEYS entry: the message names the entry and never shows the secret.
  refuseToStart(error);
}

// ---- small HTTP helpers -------------------------------------------------------------------

/**
 * Sends a page. No save() here: the adapter commits the session when the response starts,
 * which is what every page wants. (save() is for a commit that must happen at one line, where
 * its failure can be answered: see addNote.)
 */
function sendPage(res, session, status, render, headers = {}) {
  const html = render(session, store.keyRing.primaryId);
  res.writeHead(status, { ...PAGE_HEADERS, ...headers });
  res.end(html);
}

function sendError(res, session, status, title, message, headers = {}) {
  return sendPage(
    res,
    session,
    status,
    (s, sealingKeyId) => errorPage(title, message, s, sealingKeyId),
    headers,
  );
}

/** 303 See Other: after a POST, the browser follows with a GET, so a reload does not re-post. */
function redirect(res, location) {
  res.writeHead(303, { Location: location, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`See ${location}\n`);
}

/** Reads an urlencoded body, or returns undefined once it passes MAX_BODY_BYTES. */
function readForm(req) {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      req.resume(); // discard it; the 413 goes out with Connection: close
      resolve(undefined);
      return;
    }
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function bodyTooLarge(res, session) {
  const { title, message } = BODY_TOO_LARGE;
  return sendError(res, session, 413, title, message, { Connection: 'close' });
}

// ---- routes -------------------------------------------------------------------------------

/** POST /calculate: compute from a and b, keep inputs and results in the session, 303 to /result. */
async function calculate(req, res, session) {
  const form = await readForm(req);
  if (!form) return bodyTooLarge(res, session);
  const { problem, calculation: result } = calculation(form);
  // Bad input: answer 400 and leave the session alone. Nothing was set, so no cookie is sent.
  if (problem) return sendError(res, session, 400, 'Bad input', problem);
  session.set('calculation', result);
  remember(session, form);
  // No save() needed: the adapter seals the session before this 303 goes out.
  redirect(res, '/result');
}

/** POST /notes: append a note, 303 to /. Past the cookie size limit: 413, session unchanged. */
async function addNote(req, res, session) {
  const form = await readForm(req);
  if (!form) return bodyTooLarge(res, session);
  const { problem, note } = readNote(form);
  if (problem) return sendError(res, session, 400, 'Bad input', problem);
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  remember(session, form);
  try {
    // Commit now rather than when the response starts, so a session grown past its limit
    // fails at this line, where the app can answer it.
    await session.save();
  } catch (error) {
    if (!(error instanceof errors.SessionTooLargeError)) throw error;
    // Nothing was written; put the data back as it was loaded, so this response sends no
    // Set-Cookie and the browser keeps the cookie it has. (`undefined` deletes the key.)
    session.set('notes', notes);
    const { title, message } = sessionFull(error, notes);
    return sendError(res, session, 413, title, message);
  }
  redirect(res, '/');
}

/** POST /login: sign in as `user` (new session id, data kept), 303 to /. Bad name: 400, unchanged. */
async function login(req, res, session) {
  const form = await readForm(req);
  if (!form) return bodyTooLarge(res, session);
  const { problem, user } = readUser(form);
  if (problem) return sendError(res, session, 400, 'Bad input', problem);
  signIn(session, user);
  remember(session, form);
  redirect(res, '/');
}

/**
 * POST /logout: destroy the session. The response deletes every chunk the browser holds, and
 * with revocation on the session id is ended too, so a copy of the cookie is refused as well.
 */
async function logout(_req, res, session) {
  session.destroy();
  redirect(res, '/');
}

/**
 * POST /logout-everywhere: end every session of the signed-in user, on every browser and
 * process, then this one. Not signed in: nothing to end.
 */
async function logoutEverywhere(_req, res, session) {
  const subject = session.subject;
  if (subject !== undefined) {
    try {
      await store.revokeSubject(subject);
    } catch (error) {
      // The revocation store did not take it (Redis away): say so, and change nothing.
      console.warn(`jwe-session demo: sign out everywhere failed: ${error.name}`);
      const { status, title, message } = EVERYWHERE_FAILED;
      return sendError(res, session, status, title, message);
    }
    session.destroy();
  }
  redirect(res, '/');
}

/** GET /session.json: what the cookie holds, `{}` when there is none or it was rejected. */
async function sessionJson(_req, res, session) {
  res.writeHead(200, JSON_HEADERS);
  res.end(`${JSON.stringify(session.toJSON(), null, 2)}\n`);
}

const routes = {
  '/': {
    // A session that already has an id gets its token in the form; a first visit stays
    // cookie-free (asking for a token would give it an id, and so a cookie).
    GET: async (_req, res, session) => {
      const csrf = session.id === undefined ? undefined : await session.csrfToken();
      sendPage(res, session, 200, (s, keyId) => homePage(s, keyId, csrf));
    },
  },
  '/result': { GET: (_req, res, session) => sendPage(res, session, 200, resultPage) },
  '/calculate': { POST: calculate },
  '/notes': { POST: addNote },
  '/login': { POST: login },
  '/logout': { POST: logout },
  '/logout-everywhere': { POST: logoutEverywhere },
  '/session.json': { GET: sessionJson },
};

/** The path of a request target, or undefined for one no URL parser takes (`//[`, `http://[`). */
function pathOf(target) {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

async function app(req, res, session) {
  if (session.rejection) {
    // The browser's cookie was refused (expired, tampered, from another key…): the reason and
    // its detail go to the log, never the cookie itself; the visitor gets an empty session.
    const { reason, detail } = session.rejection;
    console.warn(`jwe-session demo: cookie rejected (${reason}): ${detail}`);
  }
  const pathname = pathOf(req.url);
  if (pathname === undefined) {
    return sendError(res, session, 400, 'Bad request', 'The request target is not a valid URL.');
  }
  const route = Object.hasOwn(routes, pathname) ? routes[pathname] : undefined;
  if (!route) {
    const { title, message } = notFound(pathname);
    return sendError(res, session, 404, title, message);
  }
  const handler = Object.hasOwn(route, req.method) ? route[req.method] : undefined;
  if (!handler) {
    const allow = ALLOWED[pathname];
    const { title, message } = methodNotAllowed(pathname, allow);
    return sendError(res, session, 405, title, message, { Allow: allow });
  }
  await handler(req, res, session);
}

// ---- server -------------------------------------------------------------------------------

let handler;
try {
  // Wiring checks the keys: missing ones (outside development) stop the demo here, before it
  // listens, rather than at its first request.
  handler = withSession(store, app, {
    // Anything the routes did not handle. Log it (the error, never the cookie) and answer 500;
    // the adapter has not sent the session cookie, so the browser keeps the one it had.
    onError(error, _req, res) {
      console.error('jwe-session demo: request failed:', error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end('Internal error.\n');
    },
  });
} catch (error) {
  refuseToStart(error);
}

const server = createServer(handler);

server.listen(port, host, () => {
  const address = server.address();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // The test suite reads this line to find the port when PORT=0.
  console.log(`jwe-session demo listening on http://${shown}:${address.port}/`);
});

server.on('error', (error) => {
  console.error(`jwe-session demo: cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});

function shutdown(signal) {
  console.log(`jwe-session demo: ${signal}, closing`);
  // Stop accepting, close idle keep-alive connections now, and give requests in flight a moment.
  server.close(() => closeRevocation());
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 2000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
