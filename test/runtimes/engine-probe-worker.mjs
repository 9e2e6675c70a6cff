// workerd's module worker around engine-probe.mjs: every request is answered with the
// report, the keys made the way ?keys= names (see there).
// Bundled by the test with Bun's bundler, as workerd resolves no node_modules.
import { probe } from './engine-probe.mjs';

export default {
  async fetch(request) {
    const way = new URL(request.url).searchParams.get('keys') ?? undefined;
    return new Response(JSON.stringify(await probe(way)), {
      headers: { 'content-type': 'application/json' },
    });
  },
};
