// The SvelteKit app test/adapters/sveltekit.test.ts builds and drives in-process through
// SvelteKit's own Server (what every adapter wraps). No adapter: the test is the host.
/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: { csrf: { trustedOrigins: ['*'] } },
};
