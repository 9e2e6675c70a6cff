// `npm start`: builds the app (vite build, adapter-node) when its sources changed since the
// last build, then serves the built handler on PORT and HOST.
//
//   PORT          port to listen on (default 3000; 0 picks a free one)
//   HOST          address to listen on (default 127.0.0.1)
//   SESSION_KEYS  comma-separated `id:key` entries, first seals, all unseal (`npx jwe-session keygen`).
//                 Unset: a random key for this process only, with a warning on stderr; but
//                 with NODE_ENV set to anything but development or test, no start at all.
//   REDIS_URL     redis://… : keep revocations (logouts, "sign out everywhere") in that Redis,
//                 shared by every process of the app. Unset: in this process's memory.
//
// The build runs without SESSION_KEYS on purpose: the store resolves its keys at first use,
// and the session hook (src/hooks.server.js), which checks them, is loaded as the server
// starts, not by the build.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listenPort } from '../demo/calculator.js';
import { buildWhenStale } from '../shared/build-when-stale.js';
import { buildStep, serve } from '../shared/serve-built.js';

const NAME = 'jwe-session sveltekit example';
const here = fileURLToPath(new URL('.', import.meta.url));
const viteBin = join(
  createRequire(import.meta.url).resolve('vite/package.json'),
  '..',
  'bin',
  'vite.js',
);
// What a build depends on: the app and the demo's shared modules, which are bundled. The library
// is not (vite.config.js): the server imports the built package, so a new dist/ needs no build.
const SOURCES = ['src', 'vite.config.js', 'package.json', '../demo'];

function fail(message) {
  console.error(`${NAME}: ${message}`);
  process.exit(1);
}

const port = listenPort(process.env.PORT ?? '3000', NAME);
const host = process.env.HOST ?? '127.0.0.1';

const build = buildStep({
  name: NAME,
  bin: viteBin,
  args: ['build', '--logLevel', 'warn'],
  cwd: here,
  fail,
});

await buildWhenStale({
  dir: here,
  output: join('build', 'handler.js'),
  sources: SOURCES,
  build,
  fail,
});

// adapter-node takes every request for https unless told otherwise (ORIGIN, which PORT=0 cannot
// know yet, or PROTOCOL_HEADER); the request URL's scheme is what the session's cross-site
// check compares an Origin with. This server speaks plain HTTP: it says so on every request,
// over whatever a client sent in that header.
const PROTOCOL_HEADER = 'x-forwarded-proto';
process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;

let handler;
try {
  // Loading the handler runs the hooks' wiring, which checks SESSION_KEYS: missing (outside
  // development) or malformed keys end the process here, before it listens.
  ({ handler } = await import('./build/handler.js'));
} catch (error) {
  if (error?.name !== 'SessionConfigError') throw error;
  // The message names the setting and how to fix it, never the secret.
  fail(error.message);
}

serve({
  name: NAME,
  host,
  port,
  fail,
  listener: (req, res) => {
    req.headers[PROTOCOL_HEADER] = 'http';
    handler(req, res, () => {
      // Nothing in the app answered (adapter-node passes on only when there is no SvelteKit).
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found.\n');
    });
  },
});
