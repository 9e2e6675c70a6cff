import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circles, importGraph, importsAcross, specifiersOf } from '../helpers/import-graph.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));

describe('the import graph of src/', () => {
  const graph = importGraph(src);

  it('reads every source file and its imports', () => {
    expect(graph.get('index.ts')?.length).toBeGreaterThan(3);
    expect(graph.get('codec/header.ts')).toContain('util/base64url.ts');
    // Every relative import resolves to a file the graph holds: a misread specifier would
    // hide an edge (and so a circle).
    const missing = [...graph.values()].flat().filter((to) => !graph.has(to));
    expect(missing).toEqual([]);
  });

  it('has no import circles', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('keeps keys/ free of codec/ (the codec builds on the keys, never the reverse)', () => {
    expect(importsAcross(graph, 'keys', 'codec')).toEqual([]);
  });
});

describe('the import-graph check itself', () => {
  it('finds a two-file circle, a longer one and a self-import, and nothing in a tree', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts', 'c.ts']],
      ['c.ts', ['d.ts']],
      ['d.ts', ['e.ts']],
      ['e.ts', ['c.ts']],
      ['f.ts', ['f.ts']],
      ['g.ts', ['c.ts']],
    ]);
    expect(
      circles(graph)
        .map((c) => c.join(' '))
        .sort(),
    ).toEqual(['a.ts b.ts', 'c.ts d.ts e.ts', 'f.ts']);
    expect(
      circles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('sees value, type, re-export, side-effect and dynamic imports, over several lines', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "import './g.js';",
      "const h = await import('./h.js');",
      "import { parse } from 'cookie';",
      "// not code: a string 'from ./x.js'",
    ].join('\n');
    expect(specifiersOf(text)).toEqual([
      './a.js',
      '../b.js',
      './c.js',
      './e.js',
      './f.js',
      './g.js',
      './h.js',
    ]);
  });

  it('reports an import from keys/ into codec/', () => {
    const graph = new Map([
      ['keys/key-entry.ts', ['codec/base64url.ts', 'errors.ts']],
      ['codec/seal.ts', ['keys/key-ring.ts']],
    ]);
    expect(importsAcross(graph, 'keys', 'codec')).toEqual([
      'keys/key-entry.ts -> codec/base64url.ts',
    ]);
  });
});
