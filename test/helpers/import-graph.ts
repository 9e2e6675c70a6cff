// A static import graph of the .ts files under one directory: every relative specifier of an
// import, an export-from or a dynamic import(), type-only ones included (a circle of types is
// still a circle a reader has to hold in mind).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The relative specifiers a source text imports, in order. */
export function specifiersOf(text: string): string[] {
  const found: string[] = [];
  // Code in comments (a usage example in a doc comment) imports nothing.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const match of code.matchAll(SPECIFIER)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec?.startsWith('.')) found.push(spec);
  }
  return found;
}

/** File (relative to `root`, with `/`) → the files it imports, specifiers resolved to .ts. */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of sources(root)) {
    const from = relative(root, file).split('\\').join('/');
    const targets = specifiersOf(readFileSync(file, 'utf8')).map((spec) =>
      relative(root, resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
        .split('\\')
        .join('/'),
    );
    graph.set(from, targets);
  }
  return graph;
}

/** Every import circle, each as the files around it (strongly connected components > 1, or self-imports). */
export function circles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) as number, index.get(to) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** Imports from files under `fromDir/` into files under `toDir/`, as `from -> to`. */
export function importsAcross(graph: ImportGraph, fromDir: string, toDir: string): string[] {
  return [...graph].flatMap(([from, targets]) =>
    from.startsWith(`${fromDir}/`)
      ? targets.filter((to) => to.startsWith(`${toDir}/`)).map((to) => `${from} -> ${to}`)
      : [],
  );
}
