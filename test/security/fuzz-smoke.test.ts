// The fuzz properties of test/fuzz at a few hundred runs, so `npm test` exercises them too.
// `npm run fuzz` runs the same properties at 100,000 runs each (FUZZ_RUNS to change).
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import {
  cookieHeader,
  cookieHeaderProperty,
  type FuzzFixture,
  fuzzParameters,
  generatedToken,
  makeFixture,
  mutatedToken,
  scanProperty,
  tokenProperty,
  wellFormedHeader,
} from '../fuzz/properties.js';

const RUNS = 500;
let fixture: FuzzFixture;

beforeAll(async () => {
  fixture = await makeFixture();
});

describe('fuzz smoke', () => {
  it('opens no mutation of a real token except the exact original', async () => {
    await fc.assert(tokenProperty(fixture, mutatedToken(fixture)), fuzzParameters(RUNS));
  });

  it('opens no generated token', async () => {
    await fc.assert(tokenProperty(fixture, generatedToken), fuzzParameters(RUNS));
  });

  it('loads only sessions the ring sealed from any Cookie header, and never throws', async () => {
    await fc.assert(cookieHeaderProperty(fixture, cookieHeader(fixture)), fuzzParameters(RUNS));
  });

  it('scans Cookie headers as cookie.parse reads them, without decoding', () => {
    fc.assert(scanProperty(wellFormedHeader), fuzzParameters(RUNS));
    fc.assert(scanProperty(cookieHeader(fixture)), fuzzParameters(RUNS));
  });
});
