// One Fetch app for every non-Node runtime of test/runtimes/fetch-runtimes.test.ts: Bun and
// Deno run this file (it starts its own server); workerd loads worker.mjs, which wraps
// makeApp() as a module worker. (No default export here: Bun would serve one on port 3000.) It uses nothing but the package's core and its Fetch entry, imported
// from the built files the `exports` map points at ("." and "./fetch"), so what runs here
// is what a user installs.
//
// Stores:   /...      keys from SESSION_KEYS (the new ring, "new,old")
//           /old/...  keys from SESSION_KEYS_OLD (the old key alone), to seal before a rotation
//           /zip/...  the new ring with compress: true
// Routes:   GET  session.json   {data, rejection, cookie}
//           POST set?n=N        sets n
//           POST grow?bytes=N   appends N incompressible characters to `notes`
//           POST logout         destroy()

import { withSessionFetch } from '../../dist/adapters/fetch.js';
import { createSessionStore, errors } from '../../dist/index.js';

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

// Spread over 64 symbols from a counter so that deflate cannot shrink it much.
let seed = 1;
function noise(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bytes; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[(seed >>> 16) & 63];
  }
  return out;
}

async function route(request, session) {
  const url = new URL(request.url);
  const action = url.pathname.replace(/^\/(old|zip)\//, '/');
  if (action === '/session.json') {
    return json({
      data: session.toJSON(),
      rejection: session.rejection ? session.rejection.reason : null,
      cookie: session.cookie
        ? {
            bytes: session.cookie.bytes,
            chunks: session.cookie.chunks,
            keyId: session.cookie.keyId,
          }
        : null,
    });
  }
  if (request.method !== 'POST') return json({ error: 'not found' }, 404);
  if (action === '/set') {
    session.set('n', Number(url.searchParams.get('n')));
  } else if (action === '/grow') {
    const notes = session.get('notes') ?? [];
    session.set('notes', [...notes, noise(Number(url.searchParams.get('bytes')))]);
  } else if (action === '/logout') {
    session.destroy();
  } else {
    return json({ error: 'not found' }, 404);
  }
  // Commit here, so a session past the size limit fails inside the handler (413 below).
  await session.save();
  return json({ ok: true, cookie: session.cookie ?? null });
}

function onError(error) {
  if (error instanceof errors.SessionTooLargeError) return json({ error: error.code }, 413);
  return json({ error: String(error?.code ?? error) }, 500);
}

/**
 * The handler. Keys come from SESSION_KEYS and SESSION_KEYS_OLD in `process.env`, read by the
 * library itself as in a user's app (workerd fills `process.env` from the config's text
 * bindings since compatibility date 2026-08-04). `env`, workerd's bindings object, is given
 * to the /old/ store only, so the `testing.env` option (for older workers) is exercised as well.
 */
export function makeApp(env) {
  const cookie = { secure: false };
  const stores = {
    main: createSessionStore({ cookie }),
    old: createSessionStore({
      keys: { env: 'SESSION_KEYS_OLD' },
      cookie,
      ...(env ? { testing: { env } } : {}),
    }),
    zip: createSessionStore({ advanced: { compress: true }, cookie }),
  };
  const handlers = Object.fromEntries(
    Object.entries(stores).map(([name, store]) => [
      name,
      withSessionFetch(store, route, { onError }),
    ]),
  );
  return (request) => {
    const prefix = new URL(request.url).pathname.match(/^\/(old|zip)\//)?.[1] ?? 'main';
    return handlers[prefix](request);
  };
}

const ready = (runtime, port) => console.log(`LISTENING ${runtime} ${port}`);

if (globalThis.Bun) {
  const server = globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: makeApp() });
  ready('bun', server.port);
} else if (globalThis.Deno) {
  globalThis.Deno.serve(
    { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => ready('deno', port) },
    makeApp(),
  );
}
