// What the codec keeps between requests holds memory for a token, never for the request it
// came in: a token read from a Cookie header is a slice of that header (a V8 view into it), so
// keeping the token, or a piece of it, kept the whole header, hundreds of kilobytes per cached
// session (issue 23). Measured in a child process with --expose-gc, on the built package, on
// the engine of this project's run (see support.ts).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from './support.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./fixtures/retained-heap-child.mjs', import.meta.url));
const SESSIONS = 200;
// Header texts besides the sessions' own: with it, as many as the node engine remembers (16)
// and fewer than the header check does (64), so each is remembered by both at the end.
const HEADERS = 15;
// Each request's other cookies. Kept headers would be 50 MiB for the sessions and 3.75 MiB for
// the header texts; what is kept for them is about 0.3 and 0.1 MiB.
const PAD_BYTES = 256 * 1024;
const engine = testEngine().engine ?? 'webcrypto';

interface Growth {
  readonly reads: number;
  readonly rereads: number;
  readonly headers: number;
  readonly cached: number;
}

let growth: Growth;

beforeAll(async () => {
  const child = await run(process.execPath, ['--expose-gc', CHILD], {
    env: {
      PATH: process.env.PATH,
      ENGINE: engine,
      SESSIONS: String(SESSIONS),
      HEADERS: String(HEADERS),
      PAD_BYTES: String(PAD_BYTES),
    },
    timeout: 20_000,
  });
  growth = JSON.parse(child.stdout);
});

// Each bound is a tenth of what the padding of the requests measured would hold.
describe(`memory kept from requests (engine ${engine})`, () => {
  it('the token cache holds every session read', () => {
    expect(growth.cached).toBe(SESSIONS);
  });

  it('a cached session keeps none of the Cookie header it was read from', () => {
    expect(growth.reads).toBeLessThan((SESSIONS * PAD_BYTES) / 10);
  });

  it('nor does a cached session read again from a new header', () => {
    expect(growth.rereads).toBeLessThan((SESSIONS * PAD_BYTES) / 10);
  });

  it('a remembered header text keeps none of the Cookie header it came in', () => {
    expect(growth.headers).toBeLessThan((HEADERS * PAD_BYTES) / 10);
  });
});
