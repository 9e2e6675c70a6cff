// `npm start`: in a checkout, builds dist/ from src/ first (so the demo runs what the source
// says now); then runs the demo. Shipped with the demo, so the package's `start` script names
// only published files and works where the package is installed too (no src/ there: no build).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
if (existsSync(`${root}src`) && existsSync(`${root}tsconfig.build.json`)) {
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
