import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// The SvelteKit app test/adapters/sveltekit.test.ts builds and drives in-process through
// SvelteKit's own Server (what every adapter wraps). No adapter: the test is the host.
// Options go to the plugin (SvelteKit 2 and 3 both read them there; 3 refuses svelte.config.js).
// jwe-session stays external: the app runs the built package (dist/), as an installed one.
export default defineConfig({
  plugins: [sveltekit({ csrf: { trustedOrigins: ['*'] } })],
  ssr: { external: ['jwe-session'] },
});
