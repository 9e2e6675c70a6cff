// The jwe-session demo on Fastify 5: the same routes, answers and pages as examples/demo
// (../../shared/DEMO-CONTRACT.md), with the session from the `jwe-session/fastify` plugin as
// `request.session`. `npm start` in this folder, after `npm install` at the repository root.
//
//   PORT          port to listen on (default 3000; 0 picks a free one)
//   HOST          address to listen on (default 127.0.0.1)
//   SESSION_KEYS  comma-separated `id:key` entries, first seals, all unseal (`npx jwe-session keygen`).
//                 Unset: a random key for this process only, with a warning on stderr; but
//                 with NODE_ENV set to anything but development or test, no start at all.
//   REDIS_URL     redis://… : keep revocations (logouts, "sign out everywhere") in that Redis,
//                 shared by every process of the app. Unset: in this process's memory.
//   LOG_LEVEL     Fastify's log level (default warn, which shows rejected cookies)

import Fastify from 'fastify';
import { createSessionStore, errors } from 'jwe-session';
import { fastifySession } from 'jwe-session/fastify';
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

const NAME = 'jwe-session fastify example';
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

const app = Fastify({
  bodyLimit: MAX_BODY_BYTES,
  logger: { level: process.env.LOG_LEVEL ?? 'warn' },
});

// Forms arrive urlencoded; any other body (JSON included) is read the same way, as the plain
// demo does, so every route gets URLSearchParams.
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
  done(null, new URLSearchParams(body));
});

// A refused cookie (expired, tampered, from another key…) is logged through request.log with
// its reason and detail, never the cookie; the visitor gets an empty session. Registering
// checks the keys: missing ones (outside development) stop the example here, before it listens.
try {
  await app.register(fastifySession, { store, rejectionLogLevel: 'warn' });
} catch (error) {
  refuseToStart(error);
}

/**
 * Sends a page. No save() here: the plugin commits the session in onSend, which is what every
 * page wants; the panel says when this response re-seals the cookie under a newer key.
 */
function page(request, reply, status, render) {
  const html = render(request.session, store.keyRing.primaryId);
  return reply.code(status).headers(PAGE_HEADERS).send(html);
}

function problemPage(request, reply, status, { title, message }) {
  return page(request, reply, status, (session, key) => errorPage(title, message, session, key));
}

const form = (request) => request.body ?? new URLSearchParams();

app.get('/', (request, reply) => page(request, reply, 200, homePage));
app.get('/result', (request, reply) => page(request, reply, 200, resultPage));

app.post('/calculate', async (request, reply) => {
  const { problem, calculation } = calculate(form(request));
  // Bad input: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(request, reply, 400, { title: 'Bad input', message: problem });
  request.session.set('calculation', calculation);
  // No save() needed: the plugin seals the session in onSend, before the 303 goes out.
  return reply.redirect('/result', 303);
});

app.post('/notes', async (request, reply) => {
  const { problem, note } = readNote(form(request));
  if (problem) return problemPage(request, reply, 400, { title: 'Bad input', message: problem });
  const session = request.session;
  const notes = session.get('notes');
  session.set('notes', [...(notes ?? []), note]);
  try {
    // Commit now, so a session grown past its limit fails here, where the route answers it.
    await session.save();
  } catch (error) {
    if (!(error instanceof errors.SessionTooLargeError)) throw error;
    // Nothing was written: put the data back as loaded, so no Set-Cookie goes out.
    session.set('notes', notes);
    return problemPage(request, reply, 413, sessionFull(error, notes));
  }
  return reply.redirect('/', 303);
});

app.post('/login', async (request, reply) => {
  const body = form(request);
  const { problem, user } = readUser(body);
  // A bad name: 400, and the session is left alone, so no cookie is sent.
  if (problem) return problemPage(request, reply, 400, { title: 'Bad input', message: problem });
  // A new session id (the old one is ended), the data kept, the user as its subject.
  signIn(request.session, user);
  remember(request.session, body);
  return reply.redirect('/', 303);
});

app.post('/logout', async (request, reply) => {
  // The reply expires every chunk the browser holds, and the session id is ended, so a copy
  // of the cookie is refused too.
  request.session.destroy();
  return reply.redirect('/', 303);
});

app.post('/logout-everywhere', async (request, reply) => {
  const subject = request.session.subject;
  if (subject === undefined) return reply.redirect('/', 303); // not signed in: nothing to end
  try {
    // Every session of this user, in every browser and on every process of the app.
    await store.revokeSubject(subject);
  } catch (error) {
    // The revocation store did not take it (Redis away): say so, and change nothing.
    request.log.warn({ err: { name: error.name } }, 'sign out everywhere failed');
    return problemPage(request, reply, EVERYWHERE_FAILED.status, EVERYWHERE_FAILED);
  }
  request.session.destroy();
  return reply.redirect('/', 303);
});

app.get('/session.json', async (request, reply) =>
  reply.headers(JSON_HEADERS).send(`${JSON.stringify(request.session.toJSON(), null, 2)}\n`),
);

app.setNotFoundHandler((request, reply) => {
  const pathname = request.url.split('?', 1)[0];
  const allow = allowedFor(pathname);
  if (!allow) return problemPage(request, reply, 404, notFound(pathname));
  reply.header('Allow', allow);
  return problemPage(request, reply, 405, methodNotAllowed(pathname, allow));
});

// Errors Fastify raises itself (a body over bodyLimit, a malformed URL or body) answer with
// their own 4xx; anything else is logged and answered 500 with nothing of its detail. A
// failed request saves nothing of its session, so these pages render it without save().
app.setErrorHandler((error, request, reply) => {
  const status = error.statusCode ?? 500;
  const render = (title, message) => (session) =>
    errorPage(title, message, session, store.keyRing.primaryId);
  const send = (code, title, message) => {
    reply.code(code).headers(PAGE_HEADERS);
    if (!request.session) return reply.type('text/plain; charset=utf-8').send(`${message}\n`);
    return reply.send(render(title, message)(request.session));
  };
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    reply.header('Connection', 'close');
    return send(413, BODY_TOO_LARGE.title, BODY_TOO_LARGE.message);
  }
  if (status >= 400 && status < 500)
    return send(status, 'Bad request', 'The request was malformed.');
  request.log.error({ err: error }, 'request failed');
  return send(500, 'Internal error', 'Internal error.');
});

try {
  await app.listen({ port, host });
} catch (error) {
  console.error(`${NAME}: cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
}
const address = app.server.address();
const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
// The test suite reads this line to find the port when PORT=0.
console.log(`${NAME} listening on http://${shown}:${address.port}/`);

function shutdown(signal) {
  console.log(`${NAME}: ${signal}, closing`);
  app
    .close()
    .then(closeRevocation)
    .then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
