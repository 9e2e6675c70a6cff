// A revision's dist/, to benchmark side by side with this checkout: built once from `git
// archive` into .bench-out/builds/<commit>/ with this checkout's TypeScript and node_modules
// (kept, so a second run starts at once). Used by bench:write-path and bench:http --against.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

function git(...args) {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** `{ label, dist }`: the revision's name and commit, and the path of its built dist/. */
export function buildOf(ref) {
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const dir = `${root}.bench-out/builds/${commit}/`;
  if (!existsSync(`${dir}dist/index.js`)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'sh',
      ['-c', `git archive ${commit} src tsconfig.json tsconfig.build.json | tar -x -C "${dir}"`],
      { cwd: root },
    );
    if (!existsSync(`${dir}node_modules`)) symlinkSync(`${root}node_modules`, `${dir}node_modules`);
    execFileSync(
      process.execPath,
      [`${root}node_modules/typescript/bin/tsc`, '-p', `${dir}tsconfig.build.json`],
      { stdio: 'inherit' },
    );
  }
  return { label: `${ref} (${commit.slice(0, 7)})`, dist: `${dir}dist/` };
}
