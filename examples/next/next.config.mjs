import { fileURLToPath } from 'node:url';

// This app lives inside the library's repository and uses the library as built there
// (../../dist, what `npm install` or `npm run build` at the root makes). An app of your own
// installs jwe-session from npm and needs none of this file.
const repository = fileURLToPath(new URL('../..', import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  turbopack: {
    root: repository,
    resolveAlias: {
      'jwe-session': '../../dist/index.js',
      'jwe-session/next': '../../dist/adapters/next.js',
      'jwe-session/redis': '../../dist/revocation/redis-store.js',
    },
  },
  // Loaded by Node as it is (only with REDIS_URL), not bundled.
  serverExternalPackages: ['redis'],
  // The pages show session contents; no X-Powered-By either.
  poweredByHeader: false,
};
