import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// jwe-session stays external: the app runs the built package (dist/), as an installed one.
export default defineConfig({ plugins: [sveltekit()], ssr: { external: ['jwe-session'] } });
