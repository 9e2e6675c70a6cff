import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../helpers/import-graph.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));
// A function (or arrow) whose whole job is to throw a SessionConfigError: `bad` in
// options/checks.ts is the one; a twin elsewhere is how one name came to mean two things.
const THROW_HELPER =
  /(?:function\s+(\w+)|(?:const|let)\s+(\w+)\s*=)\s*\([^)]*\)\s*:\s*never\s*(?:=>\s*)?\{\s*throw new SessionConfigError\(/g;

describe('refusing a setting', () => {
  it('has one helper: bad() in options/checks.ts (no twin throws a SessionConfigError)', () => {
    const helpers: string[] = [];
    for (const file of importGraph(src).keys()) {
      const text = readFileSync(join(src, file), 'utf8');
      for (const match of text.matchAll(THROW_HELPER)) {
        helpers.push(`${file}: ${match[1] ?? match[2]}`);
      }
    }
    expect(helpers).toEqual([]);
  });
});
