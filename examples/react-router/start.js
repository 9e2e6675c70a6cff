// `npm start`: builds the app (`react-router build`) when its sources changed since the last
// build, then serves build/server on node:http through @react-router/node.
//
//   PORT          port to listen on (default 3000; 0 picks a free one)
//   HOST          address to listen on (default 127.0.0.1)
//   SESSION_KEYS  comma-separated `id:key` entries, first seals, all unseal (`npx jwe-session keygen`).
//                 Unset: a random key for this process only, with a warning on stderr; but
//                 with NODE_ENV set to anything but development or test, no start at all.
//   REDIS_URL     redis://… : keep revocations (logouts, "sign out everywhere") in that Redis,
//                 shared by every process of the app. Unset: in this process's memory.
//
// The build runs without SESSION_KEYS on purpose: it never runs app/session.server.js, which
// checks the keys when the server loads the build, below.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequestListener } from '@react-router/node';
import { listenPort } from '../demo/calculator.js';
import { buildWhenStale } from '../shared/build-when-stale.js';
import { buildStep, serve } from '../shared/serve-built.js';

const NAME = 'jwe-session React Router example';
const here = fileURLToPath(new URL('.', import.meta.url));
// The `react-router` command of @react-router/dev (its package exports no path to it), where
// its package.json says: bin.js in React Router 7, bin.cjs in 8.
const devManifest = createRequire(import.meta.url).resolve('@react-router/dev/package.json');
const { bin } = JSON.parse(readFileSync(devManifest, 'utf8'));
const cli = join(dirname(devManifest), typeof bin === 'string' ? bin : bin['react-router']);
// What a build depends on: the app, its config, the demo's shared modules (kept outside the
// bundle, but imported by it), and the library as built at the repository root.
const SOURCES = [
  'app',
  'react-router.config.js',
  'vite.config.js',
  'package.json',
  '../demo',
  '../shared/build-when-stale.js',
  '../../dist',
];
const SERVER_BUILD = join('build', 'server', 'index.js');

function fail(message) {
  console.error(`${NAME}: ${message}`);
  process.exit(1);
}

const port = listenPort(process.env.PORT ?? '3000', NAME);
const host = process.env.HOST ?? '127.0.0.1';

const build = buildStep({ name: NAME, bin: cli, args: ['build'], cwd: here, fail });

await buildWhenStale({ dir: here, output: SERVER_BUILD, sources: SOURCES, build, fail });

let serverBuild;
try {
  // Loading the build runs app/session.server.js: missing or bad SESSION_KEYS (outside
  // development), or a bad REDIS_URL, is a SessionConfigError here, before the server listens.
  serverBuild = await import(pathToFileURL(join(here, SERVER_BUILD)).href);
} catch (error) {
  if (error?.name !== 'SessionConfigError') throw error;
  fail(error.message);
}

/**
 * Whether the request's target and Host make a URL: @react-router/node builds one from them
 * and answers 500 when it cannot ("//x" reads as another host, a Host with a space is none).
 */
function wellFormed(req) {
  if (!req.url?.startsWith('/') || req.url.startsWith('//')) return false;
  try {
    new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
    return true;
  } catch {
    return false;
  }
}

const listener = createRequestListener({ build: serverBuild, mode: 'production' });
serve({
  name: NAME,
  host,
  port,
  fail,
  listener: (req, res) => {
    if (!wellFormed(req)) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end('Bad request: malformed path or Host.\n');
      return;
    }
    Promise.resolve(listener(req, res)).catch((error) => {
      console.error(`${NAME}: request failed:`, error);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal error.\n');
      } else res.destroy();
    });
  },
});
