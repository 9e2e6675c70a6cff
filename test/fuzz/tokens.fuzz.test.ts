import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import {
  type FuzzFixture,
  fuzzParameters,
  fuzzRuns,
  generatedToken,
  makeFixture,
  mutatedToken,
  tokenProperty,
} from './properties.js';

const RUNS = fuzzRuns(100_000);
let fixture: FuzzFixture;

beforeAll(async () => {
  fixture = await makeFixture();
});

describe(`tokens (${RUNS} runs per property)`, () => {
  it('opens no mutation of a real token except the exact original', async () => {
    await fc.assert(tokenProperty(fixture, mutatedToken(fixture)), fuzzParameters(RUNS));
  });

  it('opens no generated token', async () => {
    await fc.assert(tokenProperty(fixture, generatedToken), fuzzParameters(RUNS));
  });
});
