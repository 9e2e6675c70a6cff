// `npm start`: builds the app when its sources changed since the last build, then serves it.
//
//   PORT          port to listen on (default 3000; 0 picks a free one)
//   HOST          address to listen on (default 127.0.0.1)
//   SESSION_KEYS  comma-separated `id:key` entries, first seals, all unseal (`npx jwe-session keygen`).
//                 Unset: a random key for this process only, with a warning on stderr; but
//                 with NODE_ENV set to anything but development or test, no start at all
//                 (instrumentation.js ends the server as it starts).
//   REDIS_URL     redis://… : keep revocations (logouts, "sign out everywhere") in that Redis,
//                 shared by every process of the app. Unset: in this process's memory.
//
// The build runs without SESSION_KEYS on purpose: a store resolves its keys at first use
// (here, instrumentation.js as the server starts), so `next build` needs no secret.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWhenStale } from '../shared/build-when-stale.js';
import { buildStep } from '../shared/serve-built.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
// What a build depends on: the app, the demo's shared form logic, and the library as built at
// the repository root.
const SOURCES = [
  'app',
  'lib',
  'proxy.js',
  'instrumentation.js',
  'next.config.mjs',
  'package.json',
  '../demo/calculator.js',
  '../demo/revocation.js',
  '../shared/build-when-stale.js',
  '../shared/serve-built.js',
  '../../dist',
];

function fail(message) {
  console.error(`jwe-session Next.js example: ${message}`);
  process.exit(1);
}

function listenPort(text) {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    fail(`PORT must be a number from 0 to 65535, not ${text}`);
  return port;
}

const port = listenPort(process.env.PORT ?? '3000');
const host = process.env.HOST ?? '127.0.0.1';

// A build needs neither keys nor Redis (lib/session.js is imported by the build too).
const build = buildStep({
  name: 'jwe-session Next.js example',
  bin: nextBin,
  args: ['build'],
  cwd: here,
  env: { NEXT_TELEMETRY_DISABLED: '1' },
  fail,
});

await buildWhenStale({
  dir: here,
  output: join('.next', 'BUILD_ID'),
  sources: SOURCES,
  build,
  fail,
});

// What the library allows a made-up key under; `next start` below always runs as production.
const development = [undefined, '', 'development', 'test'].includes(process.env.NODE_ENV);
if (!process.env.SESSION_KEYS?.trim() && development) {
  // One key for the whole server, set before Next.js loads the app: every bundle that imports
  // lib/session.js (pages, Route Handlers, Server Actions, proxy) must seal with the same key.
  // Under any other NODE_ENV, no key is made up: instrumentation.js stops the server.
  process.env.SESSION_KEYS = `dev-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64url')}`;
  console.error(
    'jwe-session Next.js example: SESSION_KEYS is not set: using a random key for this process. ' +
      'Sessions will not survive a restart. Generate a key with `npx jwe-session keygen`.',
  );
}
process.env.NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const { default: next } = await import('next');

// Listen first, so PORT=0 has its real port before Next.js is told it.
const server = createServer();
server.on('error', (error) => fail(`cannot listen on ${host}:${port}: ${error.message}`));
await new Promise((resolve) => server.listen(port, host, resolve));
const address = server.address();
const app = next({ dev: false, dir: here, hostname: host, port: address.port });
// Runs instrumentation.js, which ends the process here when the keys are missing.
await app.prepare();
const handle = app.getRequestHandler();
server.on('request', (req, res) => {
  handle(req, res).catch((error) => {
    console.error('jwe-session Next.js example: request failed:', error);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error.\n');
    } else res.destroy();
  });
});
const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
// The tests read this line to find the port when PORT=0.
console.log(`jwe-session Next.js example listening on http://${shown}:${address.port}/`);

function shutdown(signal) {
  console.log(`jwe-session Next.js example: ${signal}, closing`);
  server.close();
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
