import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';

const DEMO = fileURLToPath(new URL('../demo/', import.meta.url));

// The demo's shared modules (../demo/*.js) stay outside the bundle, imported from where they
// are (html.js reads its style.css next to itself), by their file URL: the build is this
// checkout's own (build/ is not committed).
const demoOutside = {
  name: 'demo-outside-the-bundle',
  enforce: 'pre',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    const path = resolve(dirname(importer), source);
    return path.startsWith(DEMO) ? { id: pathToFileURL(path).href, external: true } : null;
  },
};

export default defineConfig({
  plugins: [demoOutside, reactRouter()],
  logLevel: 'warn',
  // jwe-session is imported at run time, not bundled.
  ssr: { external: ['jwe-session'] },
});
