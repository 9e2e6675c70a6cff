import { defineConfig } from 'vitest/config';

// `npm run fuzz`: the fast-check properties of test/fuzz at 100,000 runs each (FUZZ_RUNS
// overrides, FUZZ_SEED replays a failure). Kept out of `npm test`, which runs them at a few
// hundred runs from test/security/fuzz-smoke.test.ts.
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'default' } },
      {
        // The same properties on `engine: 'webcrypto'` (the default, 'auto', is node:crypto on
        // Node; test/security/support.ts reads JWE_TEST_ENGINE): both engines must refuse
        // every mutation.
        extends: true,
        test: { name: 'webcrypto-engine', env: { JWE_TEST_ENGINE: 'webcrypto' } },
      },
    ],
  },
});
