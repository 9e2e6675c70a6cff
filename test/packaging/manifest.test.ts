// What the published package promises beyond its code: every subpath has types under every
// resolution (typesVersions for TypeScript's node10), source maps that carry their sources
// (src/ is not published), and scripts that name only published files. `npm run
// check:package` (attw --pack, publint --strict, in CI) checks the packed tarball itself.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** True when `path` (relative to the root) is inside an entry of `files`. */
const published = (path: string) =>
  (pkg.files as string[]).some((entry) => path === entry || path.startsWith(`${entry}/`));

describe('the published manifest', () => {
  it('maps every export subpath in typesVersions to the same declarations (node10 resolution)', () => {
    const subpaths = Object.entries<Record<string, string> | string>(pkg.exports).filter(
      ([subpath, target]) => subpath !== '.' && typeof target !== 'string',
    );
    const mapped = pkg.typesVersions?.['*'] ?? {};
    expect(Object.keys(mapped).sort()).toEqual(subpaths.map(([s]) => s.slice(2)).sort());
    for (const [subpath, target] of subpaths) {
      expect(mapped[subpath.slice(2)], subpath).toEqual([(target as Record<string, string>).types]);
    }
    expect(pkg.types).toBe(pkg.exports['.'].types);
  });

  it('has scripts that run only published files (npm start works where it is installed)', () => {
    for (const [name, script] of Object.entries<string>(pkg.scripts)) {
      if (!['start', 'install', 'postinstall', 'preinstall'].includes(name)) continue;
      const paths = script.match(/[\w./-]+\.(?:c|m)?js\b/g) ?? [];
      expect(paths.length, `${name}: ${script}`).toBeGreaterThan(0);
      for (const path of paths) {
        expect(published(path.replace(/^\.\//, '')), `${name} runs ${path}`).toBe(true);
      }
    }
  });

  it('ships source maps that carry their sources, and no declaration maps into src/', () => {
    const dist = join(root, 'dist');
    expect(existsSync(dist), 'run npm run build first').toBe(true);
    const maps = files(dist).filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const file of maps) {
      expect(file, 'declaration maps point at unpublished .ts files').not.toMatch(/\.d\.ts\.map$/);
      const map = JSON.parse(readFileSync(file, 'utf8'));
      expect(map.sourcesContent?.length, file).toBe(map.sources.length);
    }
  });

  it('publishes no @internal member in its declarations (stripInternal, issue 22)', () => {
    const dist = join(root, 'dist');
    expect(existsSync(dist), 'run npm run build first').toBe(true);
    const declarations = files(dist).filter((file) => file.endsWith('.d.ts'));
    expect(declarations.length).toBeGreaterThan(0);
    const leaking = declarations.filter((file) => readFileSync(file, 'utf8').includes('@internal'));
    expect(leaking).toEqual([]);
  });
});
