// A refused cross-site request is traced under NODE_DEBUG=jwe-session (one line, the reason
// and the Origin), in a process of its own since NODE_DEBUG is read once.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { keyEntry } from '../helpers/keys.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

const script = `
import { createSessionStore } from ${JSON.stringify(`${dist}index.js`)};
import { withSessionFetch } from ${JSON.stringify(`${dist}adapters/fetch.js`)};
const store = createSessionStore({ keys: ${JSON.stringify(keyEntry('k1'))}, testing: { env: {} } });
const app = withSessionFetch(store, () => new Response('ran'));
const response = await app(new Request('http://app.test/transfer?x=1', {
  method: 'POST',
  headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
}));
console.log(JSON.stringify({ status: response.status, body: await response.text() }));
`;

it('traces a refused request under NODE_DEBUG with its reason, method, path and Origin', async () => {
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>(
    (resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { env: { PATH: process.env.PATH ?? '', NODE_DEBUG: 'jwe-session' }, timeout: 20_000 },
        (error, out, err) =>
          error ? reject(new Error(err)) : resolve({ stdout: out, stderr: err }),
      );
    },
  );
  expect(JSON.parse(stdout).status).toBe(403);
  const lines = stderr.split('\n').filter((line) => line.includes('cross-site'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^JWE-SESSION \d+: cross-site request refused \(cross-site\): POST \/transfer: Sec-Fetch-Site: cross-site, Origin "https:\/\/evil.example", not trusted$/,
  );
});
