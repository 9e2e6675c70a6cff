import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    adapter: adapter(),
    csrf: {
      // SvelteKit's own check refuses a form post whose Origin is not the app's, including one
      // with no Origin at all (curl, a server), which the demo contract lets through. The
      // session hook's cross-site check (Sec-Fetch-Site, then Origin, every content type) is
      // the one this example relies on; '*' turns SvelteKit's off.
      trustedOrigins: ['*'],
    },
  },
};
