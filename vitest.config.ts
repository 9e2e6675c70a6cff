import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'default',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.fuzz.test.ts', 'node_modules/**'],
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: './test/tsconfig.json',
          },
        },
      },
      {
        // The default project runs on the default engine, 'auto': node:crypto on Node. The
        // attack suite and the fuzz smoke run again on `engine: 'webcrypto'` (see
        // test/security/support.ts): every guard must hold on both engines.
        extends: true,
        test: {
          name: 'webcrypto-engine',
          include: ['test/security/**/*.test.ts'],
          env: { JWE_TEST_ENGINE: 'webcrypto' },
        },
      },
    ],
  },
});
