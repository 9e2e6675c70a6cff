// `npm start`: in a checkout, builds dist/ from src/ first when src/ changed since the last
// build (so the demo runs what the source says now); then runs the demo. Shipped with the
// demo, so the package's `start` script names only published files and works where the
// package is installed too (no src/ there: no build).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The newest (or oldest) modification time of the files under `path`. */
function mtime(path, pick) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  const times = readdirSync(path).map((name) => mtime(join(path, name), pick));
  return times.length === 0 ? stat.mtimeMs : pick(...times);
}

// Rebuilding a fresh dist/ would rewrite files that other processes may be reading (the
// test suite starts this script beside tests that import dist/).
function isStale() {
  if (!existsSync(`${root}dist`)) return true;
  const sources = ['src', 'tsconfig.json', 'tsconfig.build.json'].map((p) =>
    mtime(root + p, Math.max),
  );
  return Math.max(...sources) > mtime(`${root}dist`, Math.min);
}

if (existsSync(`${root}src`) && existsSync(`${root}tsconfig.build.json`) && isStale()) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    console.error('npm start: the build failed (tsc -p tsconfig.build.json); see above');
    process.exit(1);
  }
}
await import('./server.js');
