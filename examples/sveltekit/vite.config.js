import { fileURLToPath, pathToFileURL } from 'node:url';
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
  plugins: [demoFileUrls(), sveltekit()],
  // The library is linked from the repository root (file:../..), which Vite would bundle as
  // source: kept external, the server imports the built package at run time, so a rebuilt
  // dist/ needs no new app build.
  ssr: { external: ['jwe-session'] },
});
