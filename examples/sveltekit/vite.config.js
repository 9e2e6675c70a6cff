import { fileURLToPath, pathToFileURL } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const demo = fileURLToPath(new URL('../demo/', import.meta.url));

/**
 * ../demo/html.js reads the style.css beside it (`new URL('./style.css', import.meta.url)`).
 * Bundled into build/server, its import.meta.url would name the chunk instead: the demo's
 * modules keep their own file URL.
 */
function demoFileUrls() {
  return {
    name: 'jwe-session-demo-file-urls',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(demo) || !code.includes('import.meta.url')) return null;
      return { code: code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(id).href)) };
    },
  };
}

export default defineConfig({
  plugins: [
    demoFileUrls(),
    // SvelteKit's options go to its plugin, not to a svelte.config.js: SvelteKit 3 refuses to
    // build beside that file, and SvelteKit 2 reads options given here in its place.
    sveltekit({
      adapter: adapter(),
      csrf: {
        // SvelteKit's own check refuses a form post whose Origin is not the app's, including one
        // with no Origin at all (curl, a server), which the demo contract lets through. The
        // session hook's cross-site check (Sec-Fetch-Site, then Origin, every content type) is
        // the one this example relies on; '*' turns SvelteKit's off.
        trustedOrigins: ['*'],
      },
    }),
  ],
  // The library is linked from the repository root (file:../..), which Vite would bundle as
  // source: kept external, the server imports the built package at run time, so a rebuilt
  // dist/ needs no new app build.
  ssr: { external: ['jwe-session'] },
});
