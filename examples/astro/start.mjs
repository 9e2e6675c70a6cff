// `npm start`: builds the app when its sources changed since the last build, then serves it
// from a node:http server with @astrojs/node's middleware-mode handler.
//
//   PORT          port to listen on (default 3000; 0 picks a free one)
//   HOST          address to listen on (default 127.0.0.1)
//   SESSION_KEYS  comma-separated `id:key` entries, first seals, all unseal (`npx jwe-session keygen`).
//                 Unset: a random key for this process only, with a warning on stderr; but
//                 with NODE_ENV set to anything but development or test, no start at all.
//   REDIS_URL     redis://… : keep revocations (logouts, "sign out everywhere") in that Redis,
//                 shared by every process of the app. Unset: in this process's memory.
//
// The build runs without SESSION_KEYS on purpose: no route is prerendered, so `astro build`
// never loads src/middleware.js, where the keys are checked; this script loads it before it
// listens.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listenPort } from '../demo/calculator.js';
import { buildWhenStale } from '../shared/build-when-stale.js';
import { buildStep, serve } from '../shared/serve-built.js';

const NAME = 'jwe-session astro example';
const here = fileURLToPath(new URL('.', import.meta.url));
// The CLI where astro's package.json says it is: ./astro.js up to Astro 5, ./bin/astro.mjs since.
const astroManifest = createRequire(import.meta.url).resolve('astro/package.json');
const { bin } = JSON.parse(readFileSync(astroManifest, 'utf8'));
const astroBin = join(astroManifest, '..', typeof bin === 'string' ? bin : bin.astro);
// What a build depends on: the app, the demo's shared form logic and pages, and the library as
// built at the repository root.
const SOURCES = [
  'src',
  'astro.config.mjs',
  'package.json',
  '../demo/calculator.js',
  '../demo/html.js',
  '../demo/revocation.js',
  '../shared/build-when-stale.js',
  '../shared/serve-built.js',
  '../../dist',
];

function fail(message) {
  console.error(`${NAME}: ${message}`);
  process.exit(1);
}

const port = listenPort(process.env.PORT ?? '3000', NAME);
const host = process.env.HOST ?? '127.0.0.1';

const build = buildStep({
  name: NAME,
  bin: astroBin,
  args: ['build'],
  cwd: here,
  env: { ASTRO_TELEMETRY_DISABLED: '1' },
  fail,
});

await buildWhenStale({
  dir: here,
  output: join('dist', 'server', 'entry.mjs'),
  sources: SOURCES,
  build,
  fail,
});

// Astro loads src/middleware.js at the first request; loading it now creates the store and
// checks its keys (and REDIS_URL), so missing ones end the process before it listens.
// Its built name is Astro's own: _astro-internal_middleware.mjs up to Astro 5,
// virtual_astro_middleware.mjs since.
const middleware = readdirSync(join(here, 'dist', 'server')).find((f) =>
  /middleware\.mjs$/.test(f),
);
if (!middleware) fail('no built middleware in dist/server: is src/middleware.js there?');
await import(`./dist/server/${middleware}`);
const { handler } = await import('./dist/server/entry.mjs');

serve({
  name: NAME,
  host,
  port,
  fail,
  listener: (req, res) => {
    handler(req, res, () => {
      // Astro answers every path (src/pages/[...path].js); this is never reached.
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found.\n');
    });
  },
});
