// workerd's module worker around app.mjs. The test bundles it (with Bun's bundler: workerd
// resolves no node_modules) and serves it from a generated config.
import { makeApp } from './app.mjs';

// Stores are made on the first request: `env` (the config's text bindings) arrives with it,
// and a store with no keys (an ephemeral random key) cannot be made at module load, where
// workerd forbids generating random values.
let app;
export default {
  fetch(request, env) {
    app ??= makeApp(env);
    return app(request);
  },
};
