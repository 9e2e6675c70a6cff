// The jwe-session demo on Hono (served by @hono/node-server): the same routes, answers and
// pages as examples/demo (../../shared/DEMO-CONTRACT.md), with the session from the
// `jwe-session/hono` middleware as `c.get('session')`. The app itself uses only the Fetch API,
// so the same `app` runs on Bun, Deno or a worker. `npm start` in this folder, after
// `npm install` at the repository root.
//
//   PORT          port to listen on (default 3000; 0 picks a free one)
//   HOST          address to listen on (default 127.0.0.1)
//   SESSION_KEYS  comma-separated `id:key` entries, first seals, all unseal (`npx jwe-session keygen`).
//                 Unset: a random key for this process only, with a warning on stderr; but
//                 with NODE_ENV set to anything but development or test, no start at all.
//   REDIS_URL     redis://… : keep revocations (logouts, "sign out everywhere") in that Redis,
//                 shared by every process of the app. Unset: in this process's memory.

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { createSessionStore, errors } from 'jwe-session';
import { honoSession } from 'jwe-session/hono';
import {
  allowedFor,
  BODY_TOO_LARGE,
  calculate,
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
} from '../demo/calculator.js';
import { errorPage, homePage, resultPage } from '../demo/html.js';
import { revocationFromEnv } from '../demo/revocation.js';

const NAME = 'jwe-session hono example';
const port = listenPort(process.env.PORT ?? '3000', NAME);
const host = process.env.HOST ?? '127.0.0.1';

/** A bad or missing SESSION_KEYS: its message (never the secret) on stderr, and no server. */
function refuseToStart(error) {
  if (!(error instanceof errors.SessionConfigError)) throw error;
  console.error(`${NAME}: ${error.message}`);
  process.exit(1);
}

const { revocation, close: closeRevocation } = await revocationFromEnv(NAME).catch(refuseToStart);

let store;
try {
  store = createSessionStore({
    // Secure is off only because this example runs over plain HTTP on localhost; keep the
    // default, secure: true, in a real app.
    cookie: { name: 'session', secure: false },
    // On: destroy() and sign-in end the old session id for good, and revokeSubject() ends
    // every session of a user (../demo/revocation.js: in memory, or in Redis with REDIS_URL).
    revocation,
  });
} catch (error) {
  // A bad SESSION_KEYS entry: the message names the entry and never shows the secret.
  refuseToStart(error);
}

/**
 * A page. No save() here: the middleware commits the session before the response is
 * returned; the panel says when this response re-seals the cookie under a newer key.
 */
function page(c, status, render, headers = {}) {
  const html = render(c.get('session'), store.keyRing.primaryId);
  return c.body(html, status, { ...PAGE_HEADERS, ...headers });
}

function problemPage(c, status, { title, message }, headers) {
  return page(c, status, (session, key) => errorPage(title, message, session, key), headers);
}

// Forms arrive urlencoded; any other body is read the same way, as the plain demo does.
const form = async (c) => new URLSearchParams(await c.req.text());

// Over the limit: 413 and nothing read; the session is untouched, so no cookie is sent.
const limited = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => problemPage(c, 413, BODY_TOO_LARGE, { Connection: 'close' }),
});

const app = new Hono();
try {
  // Wiring checks the keys: missing ones (outside development) stop the example here, before
  // it listens.
  app.use(honoSession(store));
} catch (error) {
  refuseToStart(error);
}
app.use(async (c, next) => {
  const { rejection } = c.get('session');
  if (rejection) {
    // The browser's cookie was refused (expired, tampered, from another key…): the reason and
    // its detail go to the log, never the cookie itself; the visitor gets an empty session.
    console.warn(`${NAME}: cookie rejected (${rejection.reason}): ${rejection.detail}`);
  }
  await next();
});

app.get('/', (c) => page(c, 200, homePage));
app.get('/result', (c) => page(c, 200, resultPage));

app.post('/calculate', limited, async (c) => {
  const { problem, calculation } = calculate(await form(c));
  // Bad input: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(c, 400, { title: 'Bad input', message: problem });
  c.get('session').set('calculation', calculation);
  // No save() needed: the middleware seals the session before the 303 is returned.
  return c.redirect('/result', 303);
});

app.post('/notes', limited, async (c) => {
  const { problem, note } = readNote(await form(c));
  if (problem) return problemPage(c, 400, { title: 'Bad input', message: problem });
  const session = c.get('session');
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  try {
    // Commit now, so a session grown past its limit fails here, where the route answers it.
    await session.save();
  } catch (error) {
    if (!(error instanceof errors.SessionTooLargeError)) throw error;
    // Nothing was written: put the data back as loaded, so no Set-Cookie goes out.
    session.set('notes', notes);
    return problemPage(c, 413, sessionFull(error, notes));
  }
  return c.redirect('/', 303);
});

app.post('/login', limited, async (c) => {
  const body = await form(c);
  const { problem, user } = readUser(body);
  // A bad name: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(c, 400, { title: 'Bad input', message: problem });
  // A new session id (the old one is ended), the data kept, the user as its subject.
  signIn(c.get('session'), user);
  remember(c.get('session'), body);
  return c.redirect('/', 303);
});

app.post('/logout', (c) => {
  // The response expires every chunk the browser holds, and the session id is ended, so a
  // copy of the cookie is refused too.
  c.get('session').destroy();
  return c.redirect('/', 303);
});

app.post('/logout-everywhere', async (c) => {
  const session = c.get('session');
  const subject = session.subject;
  if (subject === undefined) return c.redirect('/', 303); // not signed in: nothing to end
  try {
    // Every session of this user, in every browser and on every process of the app.
    await store.revokeSubject(subject);
  } catch (error) {
    // The revocation store did not take it (Redis away): say so, and change nothing.
    console.warn(`${NAME}: sign out everywhere failed: ${error.name}`);
    return problemPage(c, EVERYWHERE_FAILED.status, EVERYWHERE_FAILED);
  }
  session.destroy();
  return c.redirect('/', 303);
});

app.get('/session.json', (c) =>
  c.body(`${JSON.stringify(c.get('session').toJSON(), null, 2)}\n`, 200, JSON_HEADERS),
);

app.notFound((c) => {
  const allow = allowedFor(c.req.path);
  if (!allow) return problemPage(c, 404, notFound(c.req.path));
  return problemPage(c, 405, methodNotAllowed(c.req.path, allow), { Allow: allow });
});

// Anything the routes did not handle: logged, and answered with nothing of its detail. A
// failed request saves nothing of its session, so this page renders it without save().
app.onError((error, c) => {
  if (error instanceof HTTPException) return error.getResponse();
  console.error(`${NAME}: request failed:`, error);
  const session = c.get('session');
  if (!session) return c.text('Internal error.\n', 500);
  return c.body(
    errorPage('Internal error', 'Internal error.', session, store.keyRing.primaryId),
    500,
    PAGE_HEADERS,
  );
});

const server = serve({ fetch: app.fetch, port, hostname: host }, (address) => {
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // The test suite reads this line to find the port when PORT=0.
  console.log(`${NAME} listening on http://${shown}:${address.port}/`);
});

server.on('error', (error) => {
  console.error(`${NAME}: cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});

function shutdown(signal) {
  console.log(`${NAME}: ${signal}, closing`);
  server.close(() => closeRevocation().then(() => process.exit(0)));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
