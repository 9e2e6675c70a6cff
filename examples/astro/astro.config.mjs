// Every route renders per request (output: 'server'); @astrojs/node in middleware mode gives
// start.mjs a (req, res) handler to serve from its own node:http server.
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  // Astro's own check refuses every non-GET whose Origin is not this origin, a POST from curl
  // (no Origin) included, and reads no Sec-Fetch-Site. jwe-session's check (on by default in
  // src/middleware.js) is the one the demo contract describes, so Astro's is off.
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
  vite: {
    // Loaded from node_modules at run time, as an installed dependency is (Vite would bundle
    // this repository's linked copy): one module instance, shared with ../demo.
    ssr: { external: ['jwe-session'] },
    build: {
      rollupOptions: {
        // The demo's shared pages and form logic, imported where they are (by absolute path:
        // this example builds in place): html.js reads its style.css next to itself.
        // A RegExp in an array: Astro 7 adds its own externals to this list, where rolldown
        // takes strings and RegExps only (a function here fails its build).
        external: [/[\\/]examples[\\/]demo[\\/]/],
        makeAbsoluteExternalsRelative: false,
      },
    },
  },
});
