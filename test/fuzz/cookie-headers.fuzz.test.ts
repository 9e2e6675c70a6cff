import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import {
  cookieHeader,
  cookieHeaderProperty,
  type FuzzFixture,
  fuzzParameters,
  fuzzRuns,
  makeFixture,
  scanProperty,
  wellFormedHeader,
} from './properties.js';

const RUNS = fuzzRuns(100_000);
// The scan never decrypts: its properties run once, in the default project, not again on
// `engine: 'webcrypto'` (vitest.fuzz.config.ts).
const scanRun = process.env.JWE_TEST_ENGINE !== 'webcrypto';
let fixture: FuzzFixture;

beforeAll(async () => {
  fixture = await makeFixture();
});

describe(`Cookie headers (${RUNS} runs)`, () => {
  it('loads only sessions the ring sealed, and never throws', async () => {
    await fc.assert(cookieHeaderProperty(fixture, cookieHeader(fixture)), fuzzParameters(RUNS));
  });

  it.runIf(scanRun)(
    'the scan finds what cookie.parse finds under our names, never decoding',
    () => {
      fc.assert(scanProperty(wellFormedHeader), fuzzParameters(RUNS));
    },
  );

  it.runIf(scanRun)('the scan agrees with cookie.parse on the attack headers too', () => {
    fc.assert(scanProperty(cookieHeader(fixture)), fuzzParameters(RUNS));
  });
});
