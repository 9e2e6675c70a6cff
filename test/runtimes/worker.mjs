// workerd's module worker around app.mjs. The test bundles it (with Bun's bundler: workerd
// resolves no node_modules) and serves it from a generated config.
import { makeApp } from './app.mjs';

// Stores are made on the first request, not at module load: a worker may not generate random
// values at load time, and `env` (the config's text bindings) only arrives with a request.
let app;
export default {
  fetch(request, env) {
    app ??= makeApp(env);
    return app(request);
  },
};
