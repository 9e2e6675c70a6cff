// One member of the fleet in test/fleet/fleet.test.ts: plain node:http plus the Node adapter,
// run from the built dist/ as a deployed app would be. Started with child_process.fork so it can
// tell the parent its port over IPC; it keys itself from SESSION_KEYS like any app.
//
//   GET  /read   the session as loaded; nothing changes, so no Set-Cookie unless a re-seal is due
//   POST /incr   read-modify-write: count + 1, and the count appended to a short list
//   POST /set    stores ?value=… (for the "written here, read there" check)

import { createServer } from 'node:http';
import { withSession } from '../../dist/adapters/node.js';
import { createSessionStore } from '../../dist/index.js';

// The list keeps the last few counts: enough to check it moves with the counter, while the
// cookie stays one chunk however long a client keeps going.
const LIST_MAX = 16;
const node = process.env.FLEET_NODE ?? String(process.pid);

// Plain HTTP on loopback: the default Secure attribute is for real deployments.
const store = createSessionStore({ cookie: { name: 'fleet', secure: false } });

const app = withSession(store, (req, res, session) => {
  const url = new URL(req.url ?? '/', 'http://fleet.invalid');
  // What the request carried, before this handler changes anything.
  const seen = {
    node,
    sealingKey: store.keyRing.primaryId,
    isNew: session.isNew,
    rejection: session.rejection?.reason ?? null,
    loadedKey: session.cookie?.keyId ?? null,
  };
  if (req.method === 'POST' && url.pathname === '/incr') {
    const count = (session.get('count') ?? 0) + 1;
    session.set('count', count);
    session.set('list', [...(session.get('list') ?? []), count].slice(-LIST_MAX));
  } else if (req.method === 'POST' && url.pathname === '/set') {
    session.set('value', url.searchParams.get('value'));
  } else if (!(req.method === 'GET' && url.pathname === '/read')) {
    res.writeHead(404).end();
    return;
  }
  const body = JSON.stringify({ ...seen, data: session.toJSON() });
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
});

const server = createServer(app);
server.keepAliveTimeout = 1_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ ready: true, port: typeof address === 'object' && address?.port });
});

function shutdown() {
  // Finishes requests in flight; idle keep-alive sockets are closed, so this returns promptly.
  server.close(() => process.exit(0));
  server.closeIdleConnections();
}
process.on('SIGTERM', shutdown);
// The test runner went away: do not outlive it.
process.on('disconnect', () => process.exit(0));
