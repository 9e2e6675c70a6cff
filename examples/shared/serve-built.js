// The two halves of `npm start` that the building examples (Next.js, SvelteKit, Astro, React
// Router) share: their framework's build, run as a child process, and the node:http server
// that serves the result with the contract's "listening on" line and a clean shutdown.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';

/**
 * A `build` for buildWhenStale: `node <bin> ...args` in `cwd`, as production, without
 * SESSION_KEYS or REDIS_URL (a build needs neither: keys are checked when the server loads
 * the app, never by the build). Its output goes to stderr, since stdout carries only the
 * "listening on" line. A failed build ends the process through `fail`.
 */
export function buildStep({ name, bin, args, cwd, env = {}, fail }) {
  return () => {
    const childEnv = { ...process.env, ...env, NODE_ENV: 'production' };
    delete childEnv.SESSION_KEYS;
    delete childEnv.REDIS_URL;
    const started = Date.now();
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd,
        env: childEnv,
        stdio: ['ignore', 2, 2],
      });
      child.once('exit', (code) => {
        if (code !== 0) fail(`build failed (exit code ${code})`);
        console.error(`${name}: built in ${Date.now() - started} ms`);
        resolve();
      });
    });
  };
}

/**
 * Serves `listener` on `host:port` and prints `<name> listening on http://host:port/` (the
 * tests read it to find the port when PORT=0). SIGTERM or SIGINT closes the server and ends
 * the process (and with it a Redis client, with REDIS_URL), within 2 s at most.
 */
export function serve({ name, host, port, listener, fail }) {
  const server = createServer(listener);
  server.on('error', (error) => fail(`cannot listen on ${host}:${port}: ${error.message}`));
  server.listen(port, host, () => {
    const address = server.address();
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    console.log(`${name} listening on http://${shown}:${address.port}/`);
  });
  const shutdown = (signal) => {
    console.log(`${name}: ${signal}, closing`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return server;
}
