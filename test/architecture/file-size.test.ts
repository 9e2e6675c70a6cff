import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../helpers/import-graph.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));
// One concept per file: past this, a file holds two, and the second wants a name of its own.
const MAX_LINES = 250;

describe('the files of src/', () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    const files = [...importGraph(src).keys()];
    expect(files.length).toBeGreaterThan(50);
    const long = files
      .map((file) => ({
        file,
        lines: readFileSync(join(src, file), 'utf8').split('\n').length - 1,
      }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  // The coordinator reads like the request: each step is a call into a file of its own.
  it('keep the store, the coordinator of a request, at most 150 lines', () => {
    const lines = readFileSync(join(src, 'session/store.ts'), 'utf8').split('\n').length - 1;
    expect(lines).toBeLessThanOrEqual(150);
  });
});
